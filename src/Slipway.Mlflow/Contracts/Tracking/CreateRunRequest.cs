using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST runs/create</c>.</summary>
public sealed class CreateRunRequest
{
    /// <summary>Required: the experiment (MLflow clients send <c>"0"</c> for the default one).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ExperimentId { get; set; }

    /// <summary>Who starts the run; MLflow clients send their OS user. The calling user when left out.</summary>
    public string? UserId { get; set; }

    /// <summary>Display name; generated when left out.</summary>
    public string? RunName { get; set; }

    /// <summary>Milliseconds since the Unix epoch; now when left out.</summary>
    public long? StartTime { get; set; }

    /// <summary>Initial tags.</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }
}
