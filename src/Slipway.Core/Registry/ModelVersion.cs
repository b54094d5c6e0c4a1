namespace Slipway.Core.Registry;

/// <summary>One immutable version of a registered model.</summary>
/// <param name="Name">The registered model's name.</param>
/// <param name="Version">1, 2, 3, ... per model; never reused.</param>
/// <param name="CreationTimestamp">Milliseconds since the Unix epoch.</param>
/// <param name="LastUpdatedTimestamp">Milliseconds since the Unix epoch.</param>
/// <param name="Description">Free text; empty when never set.</param>
/// <param name="UserId">Who registered it; empty when unknown.</param>
/// <param name="CurrentStage">MLflow's legacy stage; always <c>None</c> unless set through the legacy API.</param>
/// <param name="Source">Where the artifacts came from, as given at creation (<c>runs:/</c>, <c>mlflow-artifacts:/</c>, <c>models:/</c> or a storage URI).</param>
/// <param name="RunId">The run that produced it; empty when none.</param>
/// <param name="RunLink">A link to the run; empty when none.</param>
/// <param name="Status">Registration state.</param>
/// <param name="StatusMessage">Why registration failed, or empty.</param>
/// <param name="Tags">Key/value tags; <c>slipway.lineage.*</c> and <c>slipway.metric.*</c> are set at creation and immutable.</param>
/// <param name="Aliases">Aliases pointing to this version.</param>
/// <param name="ContentDigest">SHA-256 (hex) over the sorted file manifest; empty until <see cref="ModelVersionStatus.Ready"/>.</param>
public sealed record ModelVersion(
    string Name,
    long Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string Description,
    string UserId,
    string CurrentStage,
    string Source,
    string RunId,
    string RunLink,
    ModelVersionStatus Status,
    string StatusMessage,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Aliases,
    string ContentDigest);
