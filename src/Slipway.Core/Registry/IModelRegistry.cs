using Slipway.Core.Artifacts;
using Slipway.Core.Search;

namespace Slipway.Core.Registry;

/// <summary>
/// The model registry as its users see it: the MLflow registry operations plus Slipway's alias history and the
/// artifact proxy. One implementation works in-process (embedded mode and the server), another speaks MLflow's REST
/// protocol to a Slipway server; both behave the same, errors included (<see cref="RegistryException"/>).
/// </summary>
public interface IModelRegistry
{
    /// <summary>Creates a registered model.</summary>
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken);

    /// <summary>Gets a registered model; throws not-found.</summary>
    Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Renames a registered model.</summary>
    Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken);

    /// <summary>Updates a registered model's description.</summary>
    Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string description, CancellationToken cancellationToken);

    /// <summary>Deletes a registered model.</summary>
    Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Searches registered models with an MLflow filter string (e.g. <c>name LIKE 'iris%'</c>).</summary>
    Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Sets a registered model tag.</summary>
    Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken);

    /// <summary>Deletes a registered model tag.</summary>
    Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken);

    /// <summary>The newest version for each of the given legacy stages (all stages when empty).</summary>
    Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string>? stages, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a model version from <see cref="NewModelVersion.Source"/> (<c>runs:/</c>, <c>mlflow-artifacts:/</c>,
    /// <c>models:/</c> or a storage URI). Returns once the version is <see cref="ModelVersionStatus.Ready"/> or has failed.
    /// </summary>
    Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, CancellationToken cancellationToken);

    /// <summary>Gets a model version; throws not-found.</summary>
    Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken);

    /// <summary>Updates a model version's description.</summary>
    Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string description, CancellationToken cancellationToken);

    /// <summary>Deletes a model version.</summary>
    Task DeleteModelVersionAsync(string name, long version, CancellationToken cancellationToken);

    /// <summary>Searches model versions with an MLflow filter string (e.g. <c>name = 'iris'</c>).</summary>
    Task<Page<ModelVersion>> SearchModelVersionsAsync(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken, CancellationToken cancellationToken);

    /// <summary>The URI the version's files can be downloaded from (an <c>mlflow-artifacts:/</c> URI).</summary>
    Task<string> GetModelVersionDownloadUriAsync(string name, long version, CancellationToken cancellationToken);

    /// <summary>Sets a model version tag. <c>slipway.lineage.*</c> and <c>slipway.metric.*</c> tags are immutable.</summary>
    Task SetModelVersionTagAsync(string name, long version, string key, string value, CancellationToken cancellationToken);

    /// <summary>Deletes a model version tag.</summary>
    Task DeleteModelVersionTagAsync(string name, long version, string key, CancellationToken cancellationToken);

    /// <summary>Points an alias at a version, recording who and why in the alias history.</summary>
    Task SetAliasAsync(string name, string alias, long version, string? reason, CancellationToken cancellationToken);

    /// <summary>Deletes an alias, recording who and why in the alias history.</summary>
    Task DeleteAliasAsync(string name, string alias, string? reason, CancellationToken cancellationToken);

    /// <summary>The version an alias points to; throws not-found.</summary>
    Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken);

    /// <summary>The append-only alias history of a model, oldest first.</summary>
    Task<IReadOnlyList<AliasHistoryEntry>> GetAliasHistoryAsync(string name, string? alias, CancellationToken cancellationToken);

    /// <summary>Resolves <c>models:/NAME/VERSION</c> or <c>models:/NAME@ALIAS</c> to a ready version.</summary>
    Task<ModelVersion> ResolveAsync(ModelUri uri, CancellationToken cancellationToken);

    /// <summary>The files of a ready version, sorted by path.</summary>
    Task<IReadOnlyList<StoredFile>> GetModelVersionFilesAsync(string name, long version, CancellationToken cancellationToken);

    /// <summary>Opens one file of a version; the stream verifies the file's SHA-256 as it is read.</summary>
    Task<Stream> OpenModelVersionFileAsync(string name, long version, string path, CancellationToken cancellationToken);

    /// <summary>Uploads one file to the artifact proxy at <paramref name="path"/> (relative, validated).</summary>
    Task<StoredFile> UploadArtifactAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>Lists the entries directly under an artifact directory.</summary>
    Task<IReadOnlyList<ArtifactEntry>> ListArtifactsAsync(string path, CancellationToken cancellationToken);

    /// <summary>Opens an artifact by path; the stream verifies its SHA-256 as it is read.</summary>
    Task<Stream> OpenArtifactAsync(string path, CancellationToken cancellationToken);
}
