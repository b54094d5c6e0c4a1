namespace Slipway.Core.Registry;

/// <summary>What a caller supplies to create a model version.</summary>
/// <param name="Name">The registered model; must exist.</param>
/// <param name="Source">Where the artifacts come from.</param>
/// <param name="RunId">Producing run, or empty.</param>
/// <param name="RunLink">Link to the run, or empty.</param>
/// <param name="Description">Free text, or empty.</param>
/// <param name="UserId">Who registers it, or empty.</param>
/// <param name="Tags">Initial tags, lineage and metrics included.</param>
public sealed record NewModelVersion(
    string Name,
    string Source,
    string RunId,
    string RunLink,
    string Description,
    string UserId,
    IReadOnlyDictionary<string, string> Tags);
