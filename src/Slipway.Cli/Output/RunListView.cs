namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>runs list</c>.</summary>
/// <param name="Runs">The runs in the requested order (default: newest first).</param>
public sealed record RunListView(IReadOnlyList<RunSummaryView> Runs);
