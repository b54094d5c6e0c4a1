namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>alias history</c>.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="History">The moves, oldest first.</param>
public sealed record AliasHistoryView(string Name, IReadOnlyList<AliasHistoryItemView> History);
