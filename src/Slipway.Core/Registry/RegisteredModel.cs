namespace Slipway.Core.Registry;

/// <summary>A named model: a container of immutable versions, with tags and aliases.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="CreationTimestamp">Milliseconds since the Unix epoch.</param>
/// <param name="LastUpdatedTimestamp">Milliseconds since the Unix epoch; moves on every change to the model or a new version.</param>
/// <param name="Description">Free text; empty when never set.</param>
/// <param name="Tags">Key/value tags.</param>
/// <param name="Aliases">Aliases and the versions they point to, ordered by alias.</param>
/// <param name="LatestVersions">The newest version per stage (MLflow's <c>latest_versions</c>); with stages unused, the newest version.</param>
public sealed record RegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<ModelAlias> Aliases,
    IReadOnlyList<ModelVersion> LatestVersions);

/// <summary>An alias (e.g. <c>champion</c>) pointing to one version of a model.</summary>
public sealed record ModelAlias(string Alias, long Version);
