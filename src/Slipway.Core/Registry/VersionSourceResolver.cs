using Slipway.Core.Artifacts;
using Slipway.Core.Tracking;

namespace Slipway.Core.Registry;

/// <summary>
/// Turns a model version's <c>source</c> into content-addressed files and creates the version. Sources already in the
/// store (<c>mlflow-artifacts:/</c>, <c>models:/</c>) become ready in one transaction, since their bytes are already
/// durable; a local path is copied while the version is pending and becomes ready only when every file is stored.
/// </summary>
internal sealed class VersionSourceResolver(
    IModelRegistry registry,
    IModelRegistryStore store,
    IArtifactIndex index,
    IBlobStore blobs,
    bool allowLocalSources,
    ITrackingStore? runs)
{
    private const string ArtifactsScheme = "mlflow-artifacts:";

    public async Task<ModelVersion> RegisterAsync(NewModelVersion version, long now, CancellationToken cancellationToken)
    {
        var source = version.Source.Trim();
        if (source.StartsWith("runs:/", StringComparison.OrdinalIgnoreCase))
        {
            var (runId, artifactUri) = await ResolveRunSourceAsync(source, cancellationToken);
            source = artifactUri;
            if (string.IsNullOrEmpty(version.RunId))
            {
                version = version with { RunId = runId };
            }
        }

        if (source.StartsWith(ArtifactsScheme, StringComparison.OrdinalIgnoreCase))
        {
            var files = await FilesUnderAsync(ArtifactProxyPath(source), cancellationToken);
            return await CreateReadyAsync(version, files, now, cancellationToken);
        }

        if (source.StartsWith("models:/", StringComparison.OrdinalIgnoreCase))
        {
            var origin = await registry.ResolveAsync(ModelUri.Parse(source), cancellationToken);
            var files = await store.GetModelVersionFilesAsync(origin.Name, origin.Version, cancellationToken);
            return await CreateReadyAsync(version, files, now, cancellationToken);
        }

        if (LocalPath(source) is { } local)
        {
            return await CopyLocalAsync(version, local, now, cancellationToken);
        }

        throw RegistryException.Invalid(
            $"Parameter 'source' {source}: unsupported URI; use mlflow-artifacts:/, models:/, runs:/ or a local path.");
    }

    /// <summary>
    /// Turns <c>runs:/RUN_ID/sub/path</c> into the run's artifact URI plus the sub path. The run's artifacts must live
    /// in this server's artifact proxy (<c>mlflow-artifacts:/</c>) to be registered from here.
    /// </summary>
    private async Task<(string RunId, string ArtifactUri)> ResolveRunSourceAsync(string source, CancellationToken cancellationToken)
    {
        if (runs is null)
        {
            throw RegistryException.Invalid(
                $"Parameter 'source' {source}: runs:/ URIs need the tracking store, which this registry was not given; pass the run's artifact URI (mlflow-artifacts:/...) instead.");
        }

        var rest = source["runs:/".Length..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? rest : rest[..slash];
        var subPath = slash < 0 ? string.Empty : ArtifactPath.Normalize(rest[(slash + 1)..], "source", allowEmpty: true);
        TrackingValidation.RunId(runId, "source");
        var run = await runs.GetRunAsync(runId, cancellationToken)
            ?? throw RegistryException.NotFound($"Run with id={runId} not found (parameter 'source' {source}).");
        var root = run.Info.ArtifactUri.TrimEnd('/');
        if (!root.StartsWith(ArtifactsScheme, StringComparison.OrdinalIgnoreCase))
        {
            throw RegistryException.Invalid(
                $"Parameter 'source' {source}: the run's artifacts live at '{root}', which this server does not proxy; only mlflow-artifacts:/ locations can be registered from runs:/ URIs.");
        }

        return (runId, subPath.Length == 0 ? root : root + "/" + subPath);
    }

    /// <summary>Every stored file at or under a proxy path, with full proxy paths; the <c>_models/</c> tree included.</summary>
    public async Task<IReadOnlyList<StoredFile>> FilesAtAsync(string path, CancellationToken cancellationToken)
    {
        if (!ModelArtifactPaths.IsVersionPath(path))
        {
            return await index.ListFilesAsync(path, cancellationToken);
        }

        if (!ModelArtifactPaths.TryParse(path, out var name, out var version, out _))
        {
            throw RegistryException.Invalid($"'path' {path}: list or download a version as {ModelArtifactPaths.Root}/NAME/VERSION.");
        }

        var root = ModelArtifactPaths.VersionRoot(name, version);
        var files = await registry.GetModelVersionFilesAsync(name, version, cancellationToken);
        return [.. files.Select(f => f with { Path = root + "/" + f.Path })];
    }

    private async Task<IReadOnlyList<StoredFile>> FilesUnderAsync(string prefix, CancellationToken cancellationToken)
    {
        var files = await FilesAtAsync(prefix, cancellationToken);
        var relative = new List<StoredFile>(files.Count);
        foreach (var file in files)
        {
            var path = file.Path == prefix
                ? prefix[(prefix.LastIndexOf('/') + 1)..]
                : file.Path[(prefix.Length + 1)..];
            relative.Add(file with { Path = path });
        }

        return relative.Count > 0
            ? relative
            : throw RegistryException.Invalid($"Parameter 'source': no artifacts found at mlflow-artifacts:/{prefix}.");
    }

    private async Task<ModelVersion> CreateReadyAsync(NewModelVersion version, IReadOnlyList<StoredFile> files, long now, CancellationToken cancellationToken)
    {
        // Index rows are written only after their blobs are durable, but a blob store can be changed underneath us
        // (an operator wiping a bucket): a version must never become ready over missing bytes.
        foreach (var file in files)
        {
            if (!await blobs.ExistsAsync(file.Sha256, cancellationToken))
            {
                throw new RegistryException(RegistryErrorCode.DataLoss, $"Artifact '{file.Path}' of source {version.Source} is indexed but its bytes are missing from the store.");
            }
        }

        return await store.CreateModelVersionAsync(version, files, now, cancellationToken);
    }

    private async Task<ModelVersion> CopyLocalAsync(NewModelVersion version, string local, long now, CancellationToken cancellationToken)
    {
        if (!allowLocalSources)
        {
            throw RegistryException.Invalid($"Parameter 'source' {version.Source}: this server does not read local paths; upload the files through the artifact proxy.");
        }

        var (root, paths) = EnumerateLocal(local, version.Source);
        var pending = await store.CreateModelVersionAsync(version, files: null, now, cancellationToken);
        try
        {
            var files = new List<StoredFile>(paths.Count);
            foreach (var path in paths)
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
                var blob = await blobs.PutAsync(stream, expectedSha256: null, cancellationToken);
                files.Add(new StoredFile(Path.GetRelativePath(root, path).Replace('\\', '/'), blob.Sha256, blob.Size));
            }

            return await store.CompleteModelVersionAsync(pending.Name, pending.Version, ModelVersionStatus.Ready, string.Empty, files, now, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or RegistryException or OperationCanceledException)
        {
            await store.CompleteModelVersionAsync(pending.Name, pending.Version, ModelVersionStatus.FailedRegistration, ex.Message, [], now, CancellationToken.None);
            throw;
        }
    }

    private static (string Root, List<string> Paths) EnumerateLocal(string local, string source)
    {
        if (File.Exists(local))
        {
            return (Path.GetDirectoryName(Path.GetFullPath(local))!, [Path.GetFullPath(local)]);
        }

        if (!Directory.Exists(local))
        {
            throw RegistryException.Invalid($"Parameter 'source' {source}: no such file or directory.");
        }

        var paths = Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        return paths.Count > 0
            ? (Path.GetFullPath(local), paths)
            : throw RegistryException.Invalid($"Parameter 'source' {source}: the directory is empty.");
    }

    private static string ArtifactProxyPath(string source)
    {
        var rest = source[ArtifactsScheme.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // mlflow-artifacts://host:port/path names the server explicitly; the path is what matters here.
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? string.Empty : rest[slash..];
        }

        return ArtifactPath.Normalize(Uri.UnescapeDataString(rest.TrimStart('/')), "source");
    }

    private static string? LocalPath(string source)
    {
        if (source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : null;
        }

        return source.Contains("://", StringComparison.Ordinal) ? null : source;
    }
}
