using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>
/// MLflow's <c>RunInfo</c> message, fields in MLflow's order. The id goes out twice, as the deprecated
/// <c>run_uuid</c> and as <c>run_id</c>, because older clients read the one and newer ones the other.
/// </summary>
public sealed class RunInfoMessage
{
    /// <summary>Deprecated spelling of <see cref="RunId"/>; always equal to it.</summary>
    public string? RunUuid { get; set; }

    /// <summary>The experiment the run belongs to.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ExperimentId { get; set; }

    /// <summary>Display name.</summary>
    public string? RunName { get; set; }

    /// <summary>Who started the run.</summary>
    public string? UserId { get; set; }

    /// <summary><c>RUNNING</c>, <c>SCHEDULED</c>, <c>FINISHED</c>, <c>FAILED</c> or <c>KILLED</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long? StartTime { get; set; }

    /// <summary>Milliseconds since the Unix epoch; omitted while the run has not ended.</summary>
    public long? EndTime { get; set; }

    /// <summary>Root of the run's artifacts.</summary>
    public string? ArtifactUri { get; set; }

    /// <summary><c>active</c> or <c>deleted</c>.</summary>
    public string? LifecycleStage { get; set; }

    /// <summary>32 lower-case hex characters.</summary>
    public string? RunId { get; set; }
}
