namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>One alias move in <c>alias history</c>.</summary>
/// <param name="Id">Position in the history, increasing.</param>
/// <param name="Alias">The alias.</param>
/// <param name="FromVersion">The version before, or null when the alias was created.</param>
/// <param name="ToVersion">The version after, or null when the alias was deleted.</param>
/// <param name="User">Who moved it.</param>
/// <param name="Reason">Why.</param>
/// <param name="Timestamp">Milliseconds since the Unix epoch.</param>
public sealed record AliasHistoryItemView(
    long Id, string Alias, long? FromVersion, long? ToVersion, string User, string Reason, long Timestamp);
