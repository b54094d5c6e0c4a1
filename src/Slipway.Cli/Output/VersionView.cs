namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>A model version as printed by <c>models versions</c>, <c>models register</c> and others.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Version">The version number.</param>
/// <param name="Status">MLflow's spelling: <c>READY</c>, <c>PENDING_REGISTRATION</c>, <c>FAILED_REGISTRATION</c>.</param>
/// <param name="StatusMessage">Why registration failed, or empty.</param>
/// <param name="Source">Where the artifacts came from.</param>
/// <param name="RunId">The producing run, or empty.</param>
/// <param name="Description">Free text, or empty.</param>
/// <param name="UserId">Who registered it, or empty.</param>
/// <param name="CreationTimestamp">Milliseconds since the Unix epoch.</param>
/// <param name="LastUpdatedTimestamp">Milliseconds since the Unix epoch.</param>
/// <param name="ContentDigest">SHA-256 (hex) over the sorted file manifest; empty unless ready.</param>
/// <param name="Aliases">Aliases pointing to this version.</param>
/// <param name="Tags">Version tags, lineage (<c>slipway.lineage.*</c>) and metrics (<c>slipway.metric.*</c>) included.</param>
public sealed record VersionView(
    string Name,
    long Version,
    string Status,
    string StatusMessage,
    string Source,
    string RunId,
    string Description,
    string UserId,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string ContentDigest,
    IReadOnlyList<string> Aliases,
    IReadOnlyDictionary<string, string> Tags);
