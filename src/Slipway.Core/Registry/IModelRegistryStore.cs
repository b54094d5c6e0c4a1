using Slipway.Core.Artifacts;
using Slipway.Core.Search;

namespace Slipway.Core.Registry;

/// <summary>
/// Metadata of registered models, versions and aliases. Implementations (SQLite, PostgreSQL) throw
/// <see cref="RegistryException"/> with MLflow's codes for missing or duplicate resources; they do not validate
/// names or field formats (the registry service does). Every operation is atomic.
/// </summary>
public interface IModelRegistryStore
{
    /// <summary>Creates a model. Throws <see cref="RegistryErrorCode.ResourceAlreadyExists"/> on a duplicate name.</summary>
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, string description, IReadOnlyDictionary<string, string> tags, long timestamp, CancellationToken cancellationToken);

    /// <summary>The model, or null.</summary>
    Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Renames a model; its versions, tags, aliases and history follow.</summary>
    Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, long timestamp, CancellationToken cancellationToken);

    /// <summary>Sets the description.</summary>
    Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string description, long timestamp, CancellationToken cancellationToken);

    /// <summary>Deletes a model with its versions, tags and aliases. Blobs stay (they may be shared).</summary>
    Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Searches models. Filter attributes: <c>name</c>; tags. Order keys: <c>name</c>, <c>creation_timestamp</c>, <c>last_updated_timestamp</c>.</summary>
    Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(SearchQuery query, CancellationToken cancellationToken);

    /// <summary>Sets (or replaces) a model tag.</summary>
    Task SetRegisteredModelTagAsync(string name, string key, string value, long timestamp, CancellationToken cancellationToken);

    /// <summary>Deletes a model tag; throws <see cref="RegistryErrorCode.ResourceDoesNotExist"/> when absent.</summary>
    Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the next version of a model. With <paramref name="files"/> given, the version is created
    /// <see cref="ModelVersionStatus.Ready"/> with those files in the same transaction; with null it starts
    /// <see cref="ModelVersionStatus.PendingRegistration"/> and <see cref="CompleteModelVersionAsync"/> finishes it.
    /// Version numbers are allocated atomically, also across processes sharing one database.
    /// </summary>
    Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, IReadOnlyList<StoredFile>? files, long timestamp, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a pending version to <see cref="ModelVersionStatus.Ready"/> (with its files) or
    /// <see cref="ModelVersionStatus.FailedRegistration"/> (files ignored). Throws
    /// <see cref="RegistryErrorCode.InvalidState"/> when the version is not pending.
    /// </summary>
    Task<ModelVersion> CompleteModelVersionAsync(string name, long version, ModelVersionStatus status, string statusMessage, IReadOnlyList<StoredFile> files, long timestamp, CancellationToken cancellationToken);

    /// <summary>Marks every pending version created before <paramref name="createdBefore"/> as failed (crash recovery); returns how many.</summary>
    Task<int> FailPendingModelVersionsAsync(long createdBefore, string statusMessage, CancellationToken cancellationToken);

    /// <summary>The version, or null.</summary>
    Task<ModelVersion?> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken);

    /// <summary>The files of a version, sorted by path; empty unless ready.</summary>
    Task<IReadOnlyList<StoredFile>> GetModelVersionFilesAsync(string name, long version, CancellationToken cancellationToken);

    /// <summary>Sets a version's description.</summary>
    Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string description, long timestamp, CancellationToken cancellationToken);

    /// <summary>Deletes a version and any alias pointing to it (recorded in the alias history).</summary>
    Task DeleteModelVersionAsync(string name, long version, AliasChange change, CancellationToken cancellationToken);

    /// <summary>Searches versions. Filter attributes: <c>name</c>, <c>version_number</c>, <c>run_id</c>, <c>source_path</c>; tags.</summary>
    Task<Page<ModelVersion>> SearchModelVersionsAsync(SearchQuery query, CancellationToken cancellationToken);

    /// <summary>Sets (or replaces) a version tag.</summary>
    Task SetModelVersionTagAsync(string name, long version, string key, string value, long timestamp, CancellationToken cancellationToken);

    /// <summary>Deletes a version tag; throws <see cref="RegistryErrorCode.ResourceDoesNotExist"/> when absent.</summary>
    Task DeleteModelVersionTagAsync(string name, long version, string key, CancellationToken cancellationToken);

    /// <summary>Points an alias at a version (creating or moving it) and appends to the alias history.</summary>
    Task SetAliasAsync(string name, string alias, long version, AliasChange change, CancellationToken cancellationToken);

    /// <summary>Deletes an alias and appends to the alias history; throws when absent.</summary>
    Task DeleteAliasAsync(string name, string alias, AliasChange change, CancellationToken cancellationToken);

    /// <summary>The version an alias points to, or null when the model or alias does not exist.</summary>
    Task<ModelVersion?> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken);

    /// <summary>The alias history of a model, oldest first; all aliases when <paramref name="alias"/> is null.</summary>
    Task<IReadOnlyList<AliasHistoryEntry>> GetAliasHistoryAsync(string name, string? alias, CancellationToken cancellationToken);
}
