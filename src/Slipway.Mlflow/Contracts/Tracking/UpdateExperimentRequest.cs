using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST experiments/update</c> (a rename).</summary>
public sealed class UpdateExperimentRequest
{
    /// <summary>Required: the experiment.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ExperimentId { get; set; }

    /// <summary>Required: the new name.</summary>
    public string? NewName { get; set; }
}
