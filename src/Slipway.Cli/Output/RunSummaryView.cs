namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>A run in a list (<c>runs list</c>, <c>experiments show</c>, <c>runs compare</c>): attributes and latest metrics.</summary>
/// <param name="RunId">32 hex characters.</param>
/// <param name="RunName">Display name.</param>
/// <param name="ExperimentId">The experiment it belongs to.</param>
/// <param name="Status">MLflow's spelling: <c>RUNNING</c>, <c>FINISHED</c>, <c>FAILED</c>, <c>KILLED</c>, <c>SCHEDULED</c>.</param>
/// <param name="StartTime">Milliseconds since the Unix epoch.</param>
/// <param name="EndTime">Milliseconds since the Unix epoch, or null while running.</param>
/// <param name="DurationMs">End minus start in milliseconds, or null while running.</param>
/// <param name="Metrics">Latest value of each metric, sorted by key.</param>
public sealed record RunSummaryView(
    string RunId,
    string RunName,
    string ExperimentId,
    string Status,
    long StartTime,
    long? EndTime,
    long? DurationMs,
    IReadOnlyDictionary<string, double> Metrics);
