namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>runs show</c>: a run with everything it logged.</summary>
/// <param name="RunId">32 hex characters.</param>
/// <param name="RunName">Display name.</param>
/// <param name="ExperimentId">The experiment it belongs to.</param>
/// <param name="UserId">Who started it.</param>
/// <param name="Status">MLflow's spelling, e.g. <c>FINISHED</c>.</param>
/// <param name="LifecycleStage"><c>active</c> or <c>deleted</c>.</param>
/// <param name="StartTime">Milliseconds since the Unix epoch.</param>
/// <param name="EndTime">Milliseconds since the Unix epoch, or null while running.</param>
/// <param name="DurationMs">End minus start in milliseconds, or null while running.</param>
/// <param name="ArtifactUri">Root of the run's artifacts.</param>
/// <param name="Params">Parameters, sorted by key.</param>
/// <param name="Metrics">Latest value of each metric with its step and time, sorted by key.</param>
/// <param name="Tags">Tags, sorted by key (<c>mlflow.*</c> system tags included).</param>
/// <param name="Inputs">Datasets the run used.</param>
/// <param name="Artifacts">Every artifact file, sorted by path (at most <see cref="Runs.RunShowCommand.MaxArtifacts"/>).</param>
public sealed record RunView(
    string RunId,
    string RunName,
    string ExperimentId,
    string UserId,
    string Status,
    string LifecycleStage,
    long StartTime,
    long? EndTime,
    long? DurationMs,
    string ArtifactUri,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, MetricView> Metrics,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<DatasetInputView> Inputs,
    IReadOnlyList<ArtifactView> Artifacts);
