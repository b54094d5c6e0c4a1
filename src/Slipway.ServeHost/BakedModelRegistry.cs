using System.Security.Cryptography;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;
using Slipway.Core.Search;
using Slipway.Storage;

namespace Slipway.ServeHost;

/// <summary>
/// A read-only registry holding one version: the model package baked into an image. It lets the serving host load a
/// local package through the same path as a registry version (cache, validation, contract), with the name, version and
/// content digest the version had in the registry it was built from. Every change is refused (an image is immutable).
/// </summary>
public sealed class BakedModelRegistry : IModelRegistry
{
    private readonly ModelVersion version;
    private readonly IReadOnlyList<StoredFile> files;
    private readonly string directory;

    private BakedModelRegistry(ModelVersion version, IReadOnlyList<StoredFile> files, string directory)
    {
        this.version = version;
        this.files = files;
        this.directory = directory;
    }

    /// <summary>The one version this registry holds.</summary>
    public ModelVersion Version => version;

    /// <summary>
    /// Reads the package in <paramref name="directory"/> (hashing every file) as version <paramref name="number"/> of
    /// <paramref name="name"/>. When <paramref name="expectedDigest"/> is not empty the files' content digest must equal
    /// it, else <see cref="RegistryException"/> (data loss): an image never serves files other than those its labels name.
    /// </summary>
    public static async Task<BakedModelRegistry> OpenAsync(string directory, string name, long number, string expectedDigest, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(expectedDigest);
        ArgumentNullException.ThrowIfNull(time);
        var root = Path.GetFullPath(directory);
        if (!File.Exists(Path.Combine(root, "MLmodel")))
        {
            throw RegistryException.NotFound($"no model package in '{root}': its MLmodel file is missing.");
        }

        var stored = new List<StoredFile>();
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
                var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
                stored.Add(new StoredFile(relative, Convert.ToHexStringLower(hash), stream.Length));
            }
        }

        var digest = ManifestDigest.Compute(stored);
        if (expectedDigest.Length > 0 && !string.Equals(digest, expectedDigest, StringComparison.OrdinalIgnoreCase))
        {
            throw new RegistryException(RegistryErrorCode.DataLoss, $"the package in '{root}' has content digest {digest}, not {expectedDigest}.");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var version = new ModelVersion(
            name, number, now, now, string.Empty, string.Empty, "None", "file://" + root, string.Empty, string.Empty,
            ModelVersionStatus.Ready, string.Empty, new Dictionary<string, string>(), [], digest);
        return new BakedModelRegistry(version, stored.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(), root);
    }

    /// <inheritdoc />
    public Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken) =>
        Task.FromResult(Find(name, version));

    /// <inheritdoc />
    public Task<ModelVersion> ResolveAsync(ModelUri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Version is { } number
            ? Task.FromResult(Find(uri.Name, number))
            : throw RegistryException.NotFound($"alias '{uri.Alias}' of model '{uri.Name}' is not in this image: it holds version {version.Version} only.");
    }

    /// <inheritdoc />
    public Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken) =>
        throw RegistryException.NotFound($"alias '{alias}' of model '{name}' is not in this image: it holds version {version.Version} only.");

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFile>> GetModelVersionFilesAsync(string name, long version, CancellationToken cancellationToken)
    {
        Find(name, version);
        return Task.FromResult(files);
    }

    /// <inheritdoc />
    public Task<Stream> OpenModelVersionFileAsync(string name, long version, string path, CancellationToken cancellationToken)
    {
        Find(name, version);
        var file = files.FirstOrDefault(f => string.Equals(f.Path, path, StringComparison.Ordinal))
            ?? throw RegistryException.NotFound($"file '{path}' is not part of model '{name}' version {version}.");
        return Task.FromResult<Stream>(new FileStream(Path.Combine(directory, file.Path), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
    }

    /// <inheritdoc />
    public Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken) =>
        string.Equals(name, version.Name, StringComparison.Ordinal)
            ? Task.FromResult(new RegisteredModel(version.Name, version.CreationTimestamp, version.LastUpdatedTimestamp, string.Empty, new Dictionary<string, string>(), [], [version]))
            : throw RegistryException.NotFound($"registered model '{name}' is not in this image.");

    /// <inheritdoc />
    public async Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken, CancellationToken cancellationToken) =>
        new([await GetRegisteredModelAsync(version.Name, cancellationToken).ConfigureAwait(false)], null);

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string>? stages, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelVersion>>([Find(name, version.Version)]);

    /// <inheritdoc />
    public Task<Page<ModelVersion>> SearchModelVersionsAsync(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken, CancellationToken cancellationToken) =>
        Task.FromResult(new Page<ModelVersion>([version], null));

    /// <inheritdoc />
    public Task<IReadOnlyList<AliasHistoryEntry>> GetAliasHistoryAsync(string name, string? alias, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AliasHistoryEntry>>([]);

    /// <inheritdoc />
    public Task<string> GetModelVersionDownloadUriAsync(string name, long version, CancellationToken cancellationToken) =>
        Task.FromResult(Find(name, version).Source);

    /// <inheritdoc />
    public Task<IReadOnlyList<ArtifactEntry>> ListArtifactsAsync(string path, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task<Stream> OpenArtifactAsync(string path, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string description, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string description, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task DeleteModelVersionAsync(string name, long version, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task SetModelVersionTagAsync(string name, long version, string key, string value, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task DeleteModelVersionTagAsync(string name, long version, string key, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task SetAliasAsync(string name, string alias, long version, string? reason, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task DeleteAliasAsync(string name, string alias, string? reason, CancellationToken cancellationToken) => throw ReadOnly();

    /// <inheritdoc />
    public Task<StoredFile> UploadArtifactAsync(string path, Stream content, CancellationToken cancellationToken) => throw ReadOnly();

    private static RegistryException ReadOnly() =>
        new(RegistryErrorCode.InvalidState, "this image's registry is read-only: it holds the one baked model version.");

    private ModelVersion Find(string name, long number) =>
        string.Equals(name, version.Name, StringComparison.Ordinal) && number == version.Version
            ? version
            : throw RegistryException.NotFound($"model '{name}' version {number} is not in this image: it holds '{version.Name}' version {version.Version}.");
}
