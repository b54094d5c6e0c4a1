namespace Slipway.Core.Tracking;

/// <summary>A named group of runs.</summary>
/// <param name="ExperimentId">Decimal id as text; <c>"0"</c> is the <c>Default</c> experiment that always exists.</param>
/// <param name="Name">Unique name.</param>
/// <param name="ArtifactLocation">Root URI of the runs' artifacts, by default <c>mlflow-artifacts:/ID</c>.</param>
/// <param name="LifecycleStage">Active or deleted.</param>
/// <param name="CreationTime">Milliseconds since the Unix epoch.</param>
/// <param name="LastUpdateTime">Milliseconds since the Unix epoch of the last rename, tag change, delete or restore.</param>
/// <param name="Tags">Experiment tags.</param>
public sealed record Experiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    LifecycleStage LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyDictionary<string, string> Tags);
