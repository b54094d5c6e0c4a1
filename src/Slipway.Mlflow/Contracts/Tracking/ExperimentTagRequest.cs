using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST experiments/set-experiment-tag</c> and <c>experiments/delete-experiment-tag</c> (which ignores the value).</summary>
public sealed class ExperimentTagRequest
{
    /// <summary>Required: the experiment.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ExperimentId { get; set; }

    /// <summary>Required: tag key.</summary>
    public string? Key { get; set; }

    /// <summary>Tag value; required when setting.</summary>
    public string? Value { get; set; }
}
