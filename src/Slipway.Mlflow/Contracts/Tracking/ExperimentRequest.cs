using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST experiments/delete</c> and <c>experiments/restore</c>.</summary>
public sealed class ExperimentRequest
{
    /// <summary>Required: the experiment (a string; a JSON number is accepted too).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ExperimentId { get; set; }
}
