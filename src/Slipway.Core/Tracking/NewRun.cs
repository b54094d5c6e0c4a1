namespace Slipway.Core.Tracking;

/// <summary>A run to create, fully decided by the tracking service (id, name, user, artifact URI).</summary>
/// <param name="RunId">32 lower-case hex characters.</param>
/// <param name="ExperimentId">An active experiment.</param>
/// <param name="RunName">Display name (also written as the <c>mlflow.runName</c> tag).</param>
/// <param name="UserId">Who starts the run.</param>
/// <param name="StartTime">Milliseconds since the Unix epoch.</param>
/// <param name="ArtifactUri">Root of the run's artifacts.</param>
/// <param name="Tags">Initial tags, <c>mlflow.runName</c> included.</param>
public sealed record NewRun(
    string RunId,
    string ExperimentId,
    string RunName,
    string UserId,
    long StartTime,
    string ArtifactUri,
    IReadOnlyList<RunTag> Tags);

/// <summary>Changes to a run's attributes; null fields stay as they are.</summary>
/// <param name="Status">New status.</param>
/// <param name="EndTime">End time in milliseconds since the Unix epoch.</param>
/// <param name="RunName">New display name (the <c>mlflow.runName</c> tag follows).</param>
public sealed record RunUpdate(RunStatus? Status, long? EndTime, string? RunName);
