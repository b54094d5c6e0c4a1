namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>A registered model as printed by <c>models list</c> and <c>models show</c>.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Description">Free text; empty when never set.</param>
/// <param name="CreationTimestamp">Milliseconds since the Unix epoch.</param>
/// <param name="LastUpdatedTimestamp">Milliseconds since the Unix epoch.</param>
/// <param name="LatestVersion">The newest version number, or null when the model has none.</param>
/// <param name="Aliases">Alias → version.</param>
/// <param name="Tags">Model tags.</param>
public sealed record ModelView(
    string Name,
    string Description,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    long? LatestVersion,
    IReadOnlyDictionary<string, long> Aliases,
    IReadOnlyDictionary<string, string> Tags);
