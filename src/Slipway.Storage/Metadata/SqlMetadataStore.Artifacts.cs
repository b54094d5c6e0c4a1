using Slipway.Core.Artifacts;

namespace Slipway.Storage.Metadata;

/// <summary>The artifact proxy's path index.</summary>
public sealed partial class SqlMetadataStore
{
    /// <inheritdoc />
    public Task PutFileAsync(StoredFile file, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        return WriteAsync(
            (c, t) => Sql.ExecuteAsync(
                c,
                t,
                "INSERT INTO artifact_files (path, sha256, size, updated_time) VALUES (@p, @h, @s, @ts) ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, updated_time = excluded.updated_time",
                cancellationToken,
                ("p", file.Path),
                ("h", file.Sha256),
                ("s", file.Size),
                ("ts", timestamp)),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredFile?> GetFileAsync(string path, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                await using var command = Sql.Command(c, t, "SELECT path, sha256, size FROM artifact_files WHERE path = @p", ("p", path));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new StoredFile(reader.GetString(0), reader.GetString(1), reader.GetInt64(2))
                    : null;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFile>> ListFilesAsync(string prefix, CancellationToken cancellationToken)
    {
        var directory = (prefix ?? string.Empty).Trim('/');

        // "Under a/b" is the byte range ["a/b/", "a/b0"): '0' follows '/' in ASCII. A range needs no escaping,
        // unlike LIKE, where '%' and '_' in the prefix would act as wildcards.
        var sql = directory.Length == 0
            ? "SELECT path, sha256, size FROM artifact_files"
            : "SELECT path, sha256, size FROM artifact_files WHERE path = @p OR (path >= @lo AND path < @hi)";
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                await using var command = Sql.Command(c, t, sql);
                if (directory.Length > 0)
                {
                    Sql.Add(command, "p", directory);
                    Sql.Add(command, "lo", directory + "/");
                    Sql.Add(command, "hi", directory + "0");
                }

                var files = new List<StoredFile>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    files.Add(new StoredFile(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }

                files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
                return (IReadOnlyList<StoredFile>)files;
            },
            cancellationToken);
    }
}
