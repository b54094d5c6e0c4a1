namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>experiments list</c>.</summary>
/// <param name="Experiments">The experiments, newest first.</param>
public sealed record ExperimentListView(IReadOnlyList<ExperimentView> Experiments);
