namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>experiments show</c>: the experiment, how many runs it has and the newest of them.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="RunCount">Number of its active runs.</param>
/// <param name="RecentRuns">Its newest active runs (at most <see cref="Experiments.ExperimentShowCommand.RecentRuns"/>), newest first.</param>
public sealed record ExperimentDetailView(ExperimentView Experiment, long RunCount, IReadOnlyList<RunSummaryView> RecentRuns);
