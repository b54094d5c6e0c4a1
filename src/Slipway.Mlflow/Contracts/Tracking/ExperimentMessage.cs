using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>MLflow's <c>Experiment</c> message; fields in MLflow's order, tags omitted when there are none.</summary>
public sealed class ExperimentMessage
{
    /// <summary>Decimal id as text, e.g. <c>"1"</c>.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ExperimentId { get; set; }

    /// <summary>Unique name.</summary>
    public string? Name { get; set; }

    /// <summary>Root URI of the runs' artifacts, e.g. <c>mlflow-artifacts:/1</c>.</summary>
    public string? ArtifactLocation { get; set; }

    /// <summary><c>active</c> or <c>deleted</c>.</summary>
    public string? LifecycleStage { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long? LastUpdateTime { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long? CreationTime { get; set; }

    /// <summary>Experiment tags (MLflow's <c>ExperimentTag</c>); omitted when there are none.</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }
}
