using Slipway.Core.Artifacts;
using Slipway.Core.Registry;
using Slipway.Storage.Blobs;
using Slipway.Storage.Metadata;

namespace Slipway.Storage;

/// <summary>
/// Picks store implementations by URI: <c>sqlite:PATH</c> or <c>postgresql://...</c> for metadata
/// (<c>--store</c>), a local directory or <c>s3://bucket/prefix</c> for blobs (<c>--artifacts</c>).
/// </summary>
public static class StorageFactory
{
    /// <summary>File name of the SQLite database in an embedded directory.</summary>
    public const string EmbeddedDatabaseFile = "slipway.db";

    /// <summary>Directory name of the blobs in an embedded directory.</summary>
    public const string EmbeddedArtifactsDirectory = "artifacts";

    /// <summary>
    /// Opens the metadata store named by <paramref name="uri"/> and migrates its schema: <c>sqlite:PATH</c>
    /// (also SQLAlchemy's <c>sqlite:///relative</c> and <c>sqlite:////absolute</c>) or
    /// <c>postgresql://user:password@host:port/database</c> (also <c>postgres://</c>).
    /// Throws <see cref="RegistryException"/> (invalid parameter, naming <c>--store</c>) for other schemes.
    /// </summary>
    public static Task<SqlMetadataStore> OpenMetadataStoreAsync(string uri, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = uri["sqlite:".Length..];

            // SQLAlchemy spelling: three slashes then a relative path, four for an absolute one.
            if (path.StartsWith("///", StringComparison.Ordinal))
            {
                path = path[3..];
            }

            if (path.Length == 0)
            {
                throw RegistryException.Invalid($"Invalid --store '{uri}': expected sqlite:PATH.");
            }

            return SqlMetadataStore.OpenSqliteAsync(path, timeProvider, cancellationToken);
        }

        if (PostgresUri.IsPostgres(uri))
        {
            return SqlMetadataStore.OpenPostgresAsync(PostgresUri.ToConnectionString(uri), timeProvider, cancellationToken);
        }

        throw RegistryException.Invalid(
            $"Invalid --store '{PostgresUri.Redact(uri)}': expected sqlite:PATH or postgresql://user:password@host:port/database.");
    }

    /// <summary>
    /// Opens the blob store named by <paramref name="uri"/>: <c>s3://bucket/prefix</c> (endpoint and credentials
    /// from the environment, see <see cref="S3BlobStore.FromEnvironment"/>), or a local directory (a path or a
    /// <c>file://</c> URI). Throws <see cref="RegistryException"/> (invalid parameter, naming <c>--artifacts</c>)
    /// for other schemes.
    /// </summary>
    public static IBlobStore OpenBlobStore(string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        if (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = uri["s3://".Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var bucket = slash < 0 ? rest : rest[..slash];
            var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
            if (bucket.Length == 0)
            {
                throw RegistryException.Invalid($"Invalid --artifacts '{uri}': expected s3://bucket/prefix.");
            }

            return S3BlobStore.FromEnvironment(bucket, prefix);
        }

        if (uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return new FileBlobStore(new Uri(uri).LocalPath);
        }

        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            throw RegistryException.Invalid($"Invalid --artifacts '{uri}': expected a directory or s3://bucket/prefix.");
        }

        return new FileBlobStore(uri);
    }

    /// <summary>
    /// Opens embedded storage in one directory: SQLite at <c>DIR/slipway.db</c> and blobs under <c>DIR/artifacts</c>.
    /// The directory is created when missing.
    /// </summary>
    public static async Task<EmbeddedStorage> OpenEmbeddedAsync(string directory, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var metadata = await SqlMetadataStore.OpenSqliteAsync(Path.Combine(root, EmbeddedDatabaseFile), timeProvider, cancellationToken).ConfigureAwait(false);
        return new EmbeddedStorage(metadata, new FileBlobStore(Path.Combine(root, EmbeddedArtifactsDirectory)));
    }
}
