namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>runs compare</c>: the runs, then each param and final metric side by side.</summary>
/// <param name="Runs">The compared runs, in the order given.</param>
/// <param name="Params">Param key → run id → value; null where a run lacks the param. Keys sorted.</param>
/// <param name="Metrics">Metric key → run id → latest value; null where a run lacks the metric. Keys sorted.</param>
public sealed record RunComparisonView(
    IReadOnlyList<RunSummaryView> Runs,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Params,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double?>> Metrics);
