namespace Slipway.Core.Registry;

/// <summary>Who moves an alias, why and when; recorded in the append-only alias history.</summary>
/// <param name="User">Who made the change; empty when unknown.</param>
/// <param name="Reason">Why, in the caller's words; empty when not given.</param>
/// <param name="Timestamp">Milliseconds since the Unix epoch.</param>
public sealed record AliasChange(string User, string Reason, long Timestamp);

/// <summary>One entry of a model's alias history: the alias moved from one version to another.</summary>
/// <param name="Id">Position in the history, increasing.</param>
/// <param name="Name">The registered model.</param>
/// <param name="Alias">The alias.</param>
/// <param name="FromVersion">The version it pointed to before, or null when it was created.</param>
/// <param name="ToVersion">The version it points to after, or null when it was deleted.</param>
/// <param name="User">Who made the change.</param>
/// <param name="Reason">Why.</param>
/// <param name="Timestamp">Milliseconds since the Unix epoch.</param>
public sealed record AliasHistoryEntry(
    long Id,
    string Name,
    string Alias,
    long? FromVersion,
    long? ToVersion,
    string User,
    string Reason,
    long Timestamp);
