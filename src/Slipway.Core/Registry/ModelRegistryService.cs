using Slipway.Core.Artifacts;
using Slipway.Core.Search;
using Slipway.Core.Tracking;

namespace Slipway.Core.Registry;

/// <summary>
/// The registry in-process: validates every field, resolves version sources into content-addressed files, and keeps
/// the alias history. Embedded mode and the server both run this class, so they behave the same.
/// </summary>
public sealed class ModelRegistryService : IModelRegistry
{
    /// <summary>Default page size of model searches (MLflow's).</summary>
    public const int DefaultModelSearchResults = 100;

    /// <summary>Largest page of model searches (MLflow's).</summary>
    public const int MaxModelSearchResults = 1_000;

    /// <summary>Default page size of version searches (what MLflow clients send).</summary>
    public const int DefaultVersionSearchResults = 10_000;

    /// <summary>Largest page of version searches (MLflow's).</summary>
    public const int MaxVersionSearchResults = 200_000;

    private static readonly HashSet<string> ModelFilterKeys = new(StringComparer.Ordinal) { "name" };
    private static readonly HashSet<string> ModelOrderKeys = new(StringComparer.Ordinal) { "name", "creation_timestamp", "last_updated_timestamp" };
    private static readonly HashSet<string> VersionFilterKeys = new(StringComparer.Ordinal) { "name", "version_number", "run_id", "source_path" };
    private static readonly HashSet<string> VersionOrderKeys = new(StringComparer.Ordinal) { "name", "version_number", "creation_timestamp", "last_updated_timestamp" };

    private readonly IModelRegistryStore _store;
    private readonly IArtifactIndex _index;
    private readonly IBlobStore _blobs;
    private readonly TimeProvider _time;
    private readonly Func<string> _currentUser;
    private readonly VersionSourceResolver _sources;

    /// <summary>Creates the service over its stores.</summary>
    /// <param name="store">Registry metadata.</param>
    /// <param name="index">Path namespace of the artifact proxy.</param>
    /// <param name="blobs">Content-addressed bytes.</param>
    /// <param name="time">Clock for timestamps.</param>
    /// <param name="currentUser">Who is calling, for the alias history and <c>user_id</c>; read on every call.</param>
    /// <param name="allowLocalSources">Whether a version source may be a path on this machine (true for embedded use).</param>
    /// <param name="runs">
    /// The tracking store, to resolve <c>runs:/RUN_ID/path</c> version sources to the run's artifacts (and to record the
    /// run id on the version); null (the default) rejects <c>runs:/</c> sources with an explanation.
    /// </param>
    public ModelRegistryService(IModelRegistryStore store, IArtifactIndex index, IBlobStore blobs, TimeProvider time, Func<string> currentUser, bool allowLocalSources = true, ITrackingStore? runs = null)
    {
        _store = store;
        _index = index;
        _blobs = blobs;
        _time = time;
        _currentUser = currentUser;
        _sources = new VersionSourceResolver(this, store, index, blobs, allowLocalSources, runs);
    }

    /// <summary>
    /// Marks versions still pending after a crash as failed, so that nothing half-copied is ever served.
    /// Only versions older than <paramref name="grace"/> are touched: another process may be registering right now.
    /// </summary>
    public Task<int> RecoverInterruptedRegistrationsAsync(TimeSpan grace, CancellationToken cancellationToken) =>
        _store.FailPendingModelVersionsAsync(
            Now() - (long)grace.TotalMilliseconds,
            "Registration was interrupted before all artifacts were stored; register the model again.",
            cancellationToken);

    /// <inheritdoc />
    public Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        tags ??= new Dictionary<string, string>();
        foreach (var (key, value) in tags)
        {
            RegistryValidation.Tag(key, value);
        }

        return _store.CreateRegisteredModelAsync(name, RegistryValidation.Description(description), tags, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken) =>
        await _store.GetRegisteredModelAsync(RegistryValidation.ModelName(name), cancellationToken) ?? throw ModelNotFound(name);

    /// <inheritdoc />
    public Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.ModelName(newName, "new_name");
        return _store.RenameRegisteredModelAsync(name, newName, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string description, CancellationToken cancellationToken) =>
        _store.UpdateRegisteredModelAsync(RegistryValidation.ModelName(name), RegistryValidation.Description(description), Now(), cancellationToken);

    /// <inheritdoc />
    public Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken) =>
        _store.DeleteRegisteredModelAsync(RegistryValidation.ModelName(name), cancellationToken);

    /// <inheritdoc />
    public Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var query = new SearchQuery(
            SearchFilterParser.Parse(filter, ModelFilterKeys),
            OrderByParser.Parse(orderBy, ModelOrderKeys),
            RegistryValidation.MaxResults(maxResults, MaxModelSearchResults),
            string.IsNullOrEmpty(pageToken) ? null : pageToken);
        return _store.SearchRegisteredModelsAsync(query, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.Tag(key, value);
        return _store.SetRegisteredModelTagAsync(name, key, value, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.Required(key, "key");
        return _store.DeleteRegisteredModelTagAsync(name, key, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string>? stages, CancellationToken cancellationToken)
    {
        var model = await GetRegisteredModelAsync(name, cancellationToken);
        return stages is null || stages.Count == 0
            ? model.LatestVersions
            : [.. model.LatestVersions.Where(v => stages.Contains(v.CurrentStage, StringComparer.OrdinalIgnoreCase))];
    }

    /// <inheritdoc />
    public async Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        RegistryValidation.ModelName(version.Name);
        RegistryValidation.Required(version.Source, "source");
        foreach (var (key, value) in version.Tags)
        {
            RegistryValidation.Tag(key, value);
        }

        _ = await GetRegisteredModelAsync(version.Name, cancellationToken);
        var request = version with
        {
            Description = RegistryValidation.Description(version.Description),
            UserId = string.IsNullOrEmpty(version.UserId) ? _currentUser() : version.UserId,
        };
        return await _sources.RegisterAsync(request, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken) =>
        await _store.GetModelVersionAsync(RegistryValidation.ModelName(name), RegistryValidation.Version(version), cancellationToken)
        ?? throw VersionNotFound(name, version);

    /// <inheritdoc />
    public Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string description, CancellationToken cancellationToken) =>
        _store.UpdateModelVersionAsync(RegistryValidation.ModelName(name), RegistryValidation.Version(version), RegistryValidation.Description(description), Now(), cancellationToken);

    /// <inheritdoc />
    public Task DeleteModelVersionAsync(string name, long version, CancellationToken cancellationToken) =>
        _store.DeleteModelVersionAsync(
            RegistryValidation.ModelName(name),
            RegistryValidation.Version(version),
            new AliasChange(_currentUser(), FormattableString.Invariant($"version {version} deleted"), Now()),
            cancellationToken);

    /// <inheritdoc />
    public Task<Page<ModelVersion>> SearchModelVersionsAsync(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var query = new SearchQuery(
            SearchFilterParser.Parse(filter, VersionFilterKeys),
            OrderByParser.Parse(orderBy, VersionOrderKeys),
            RegistryValidation.MaxResults(maxResults, MaxVersionSearchResults),
            string.IsNullOrEmpty(pageToken) ? null : pageToken);
        return _store.SearchModelVersionsAsync(query, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string> GetModelVersionDownloadUriAsync(string name, long version, CancellationToken cancellationToken)
    {
        var found = await GetModelVersionAsync(name, version, cancellationToken);
        return "mlflow-artifacts:/" + ModelArtifactPaths.VersionRoot(found.Name, found.Version);
    }

    /// <inheritdoc />
    public async Task SetModelVersionTagAsync(string name, long version, string key, string value, CancellationToken cancellationToken)
    {
        RegistryValidation.Tag(key, value);
        RefuseProtected(key);
        _ = await GetModelVersionAsync(name, version, cancellationToken);
        await _store.SetModelVersionTagAsync(name, version, key, value, Now(), cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteModelVersionTagAsync(string name, long version, string key, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.Version(version);
        RegistryValidation.Required(key, "key");
        RefuseProtected(key);
        return _store.DeleteModelVersionTagAsync(name, version, key, cancellationToken);
    }

    /// <inheritdoc />
    public async Task SetAliasAsync(string name, string alias, long version, string? reason, CancellationToken cancellationToken)
    {
        RegistryValidation.Alias(alias);
        var target = await GetModelVersionAsync(name, version, cancellationToken);
        if (target.Status != ModelVersionStatus.Ready)
        {
            throw new RegistryException(
                RegistryErrorCode.InvalidState,
                FormattableString.Invariant($"Model version (name={name}, version={version}) is {target.Status}, not READY: an alias can only point to a ready version."));
        }

        await _store.SetAliasAsync(name, alias, version, new AliasChange(_currentUser(), reason ?? string.Empty, Now()), cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAliasAsync(string name, string alias, string? reason, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.Required(alias, "alias");
        return _store.DeleteAliasAsync(name, alias, new AliasChange(_currentUser(), reason ?? string.Empty, Now()), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.Required(alias, "alias");
        return await _store.GetModelVersionByAliasAsync(name, alias, cancellationToken)
            ?? throw RegistryException.NotFound($"Registered model alias {alias} not found for model {name}.");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AliasHistoryEntry>> GetAliasHistoryAsync(string name, string? alias, CancellationToken cancellationToken)
    {
        _ = await GetRegisteredModelAsync(name, cancellationToken);
        return await _store.GetAliasHistoryAsync(name, string.IsNullOrEmpty(alias) ? null : alias, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ModelVersion> ResolveAsync(ModelUri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var version = uri.Alias is null
            ? await GetModelVersionAsync(uri.Name, uri.Version!.Value, cancellationToken)
            : await GetModelVersionByAliasAsync(uri.Name, uri.Alias, cancellationToken);
        return version.Status == ModelVersionStatus.Ready
            ? version
            : throw new RegistryException(RegistryErrorCode.InvalidState, $"{uri} is {version.Status}, not READY.");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredFile>> GetModelVersionFilesAsync(string name, long version, CancellationToken cancellationToken)
    {
        _ = await GetModelVersionAsync(name, version, cancellationToken);
        return await _store.GetModelVersionFilesAsync(name, version, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenModelVersionFileAsync(string name, long version, string path, CancellationToken cancellationToken)
    {
        path = ArtifactPath.Normalize(path);
        var files = await GetModelVersionFilesAsync(name, version, cancellationToken);
        var file = files.FirstOrDefault(f => f.Path == path)
            ?? throw RegistryException.NotFound(FormattableString.Invariant($"File '{path}' not found in model version (name={name}, version={version})."));
        return await _blobs.OpenReadAsync(file.Sha256, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<StoredFile> UploadArtifactAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        path = ArtifactPath.Normalize(path);
        if (ModelArtifactPaths.IsVersionPath(path))
        {
            throw RegistryException.Invalid($"'path' {path} is inside the read-only '{ModelArtifactPaths.Root}/' tree of registered versions.");
        }

        // The index row is written only after the blob is durable: a crash in between leaves an unreferenced blob, never
        // a path that points at missing bytes.
        var blob = await _blobs.PutAsync(content, expectedSha256: null, cancellationToken);
        var file = new StoredFile(path, blob.Sha256, blob.Size);
        await _index.PutFileAsync(file, Now(), cancellationToken);
        return file;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactEntry>> ListArtifactsAsync(string path, CancellationToken cancellationToken)
    {
        path = ArtifactPath.Normalize(path, allowEmpty: true);
        var files = await _sources.FilesAtAsync(path, cancellationToken);
        return ArtifactListing.Children(files, path);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenArtifactAsync(string path, CancellationToken cancellationToken)
    {
        path = ArtifactPath.Normalize(path);

        // A proxy path is one indexed row: look it up directly rather than listing everything under it.
        var file = ModelArtifactPaths.IsVersionPath(path)
            ? (await _sources.FilesAtAsync(path, cancellationToken)).FirstOrDefault(f => f.Path == path)
            : await _index.GetFileAsync(path, cancellationToken);
        if (file is null)
        {
            throw RegistryException.NotFound($"Artifact '{path}' not found.");
        }

        return await _blobs.OpenReadAsync(file.Sha256, cancellationToken);
    }

    private static void RefuseProtected(string key)
    {
        if (ProtectedTags.IsProtected(key))
        {
            throw RegistryException.Invalid($"Tag '{key}' is set at registration and cannot be changed ('key').");
        }
    }

    private static RegistryException ModelNotFound(string name) =>
        RegistryException.NotFound($"Registered Model with name={name} not found");

    private static RegistryException VersionNotFound(string name, long version) =>
        RegistryException.NotFound(FormattableString.Invariant($"Model Version (name={name}, version={version}) not found"));

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
