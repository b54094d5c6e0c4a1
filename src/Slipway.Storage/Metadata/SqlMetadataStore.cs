using System.Data.Common;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;

namespace Slipway.Storage.Metadata;

/// <summary>
/// The metadata store on a SQL database (SQLite or PostgreSQL): registered models, versions, tags, aliases with
/// their history, the artifact proxy's path index, and experiment tracking (experiments, runs, metrics, params,
/// tags, datasets). Every operation runs in one transaction on its own pooled
/// connection, so one instance is safe to share between threads and several processes may share one database.
/// Open it with <see cref="StorageFactory.OpenMetadataStoreAsync"/>; the schema is migrated when it opens.
/// </summary>
public sealed partial class SqlMetadataStore : IModelRegistryStore, IArtifactIndex, IAsyncDisposable
{
    private const string VersionColumns =
        "name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, run_link, status, status_message, content_digest";

    private readonly SqlDialect _dialect;

    // Stamps the few writes whose interface carries no timestamp (e.g. the outbox event of a deleted version tag).
    private readonly TimeProvider _timeProvider;

    private SqlMetadataStore(SqlDialect dialect, TimeProvider timeProvider)
    {
        _dialect = dialect;
        _timeProvider = timeProvider;
    }

    /// <summary>Where the metadata lives, without credentials (e.g. <c>sqlite:/data/slipway.db</c>).</summary>
    public string Description => _dialect.Description;

    /// <summary>Opens (creating when absent) a SQLite database file and migrates its schema.</summary>
    /// <param name="path">The database file; its directory is created when missing.</param>
    /// <param name="timeProvider">Clock for the migration record.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    public static Task<SqlMetadataStore> OpenSqliteAsync(string path, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return OpenAsync(new SqliteDialect(full), timeProvider, cancellationToken);
    }

    /// <summary>Opens a PostgreSQL database by Npgsql connection string and migrates its schema.</summary>
    /// <param name="connectionString">An Npgsql connection string (see <see cref="PostgresUri"/> for URIs).</param>
    /// <param name="timeProvider">Clock for the migration record.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    public static Task<SqlMetadataStore> OpenPostgresAsync(string connectionString, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return OpenAsync(new PostgresDialect(connectionString), timeProvider, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    private static async Task<SqlMetadataStore> OpenAsync(SqlDialect dialect, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        try
        {
            await SchemaMigrations.ApplyAsync(dialect, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            return new SqlMetadataStore(dialect, timeProvider);
        }
        catch
        {
            await dialect.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<T> InTransactionAsync<T>(bool write, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await _dialect.BeginAsync(connection, write, cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await _dialect.BeginAsync(connection, write: true, cancellationToken).ConfigureAwait(false);
        await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static RegistryException ModelNotFound(string name) =>
        RegistryException.NotFound($"Registered Model with name={name} not found");

    private static RegistryException VersionNotFound(string name, long version) =>
        RegistryException.NotFound(FormattableString.Invariant($"Model Version (name={name}, version={version}) not found"));

    private static async Task<bool> ModelExistsAsync(DbConnection c, DbTransaction t, string name, CancellationToken ct) =>
        await Sql.ScalarAsync<long?>(c, t, "SELECT 1 FROM registered_models WHERE name = @n", ct, ("n", name)).ConfigureAwait(false) is not null;

    private static async Task RequireModelAsync(DbConnection c, DbTransaction t, string name, CancellationToken ct)
    {
        if (!await ModelExistsAsync(c, t, name, ct).ConfigureAwait(false))
        {
            throw ModelNotFound(name);
        }
    }

    /// <summary>Throws model-not-found or version-not-found, whichever applies.</summary>
    private static async Task RequireVersionAsync(DbConnection c, DbTransaction t, string name, long version, CancellationToken ct)
    {
        var exists = await Sql.ScalarAsync<long?>(
            c, t, "SELECT 1 FROM model_versions WHERE name = @n AND version = @v", ct, ("n", name), ("v", version)).ConfigureAwait(false);
        if (exists is null)
        {
            await RequireModelAsync(c, t, name, ct).ConfigureAwait(false);
            throw VersionNotFound(name, version);
        }
    }

    private static async Task<Dictionary<string, string>> ReadTagsAsync(DbCommand command, CancellationToken ct)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            tags[reader.GetString(0)] = reader.GetString(1);
        }

        return tags;
    }

    private static async Task<RegisteredModel?> LoadModelAsync(DbConnection c, DbTransaction t, string name, CancellationToken ct)
    {
        string description;
        long created, updated;
        await using (var command = Sql.Command(c, t, "SELECT creation_time, last_updated_time, description FROM registered_models WHERE name = @n", ("n", name)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }

            created = reader.GetInt64(0);
            updated = reader.GetInt64(1);
            description = reader.GetString(2);
        }

        Dictionary<string, string> tags;
        await using (var command = Sql.Command(c, t, "SELECT key, value FROM registered_model_tags WHERE name = @n", ("n", name)))
        {
            tags = await ReadTagsAsync(command, ct).ConfigureAwait(false);
        }

        var aliases = new List<ModelAlias>();
        await using (var command = Sql.Command(c, t, "SELECT alias, version FROM aliases WHERE name = @n", ("n", name)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                aliases.Add(new ModelAlias(reader.GetString(0), reader.GetInt64(1)));
            }
        }

        aliases.Sort((a, b) => string.CompareOrdinal(a.Alias, b.Alias));

        // MLflow's latest_versions: the newest version in each stage.
        var newest = new List<long>();
        await using (var command = Sql.Command(c, t, "SELECT MAX(version) FROM model_versions WHERE name = @n GROUP BY current_stage", ("n", name)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                newest.Add(reader.GetInt64(0));
            }
        }

        newest.Sort();
        var latest = new List<ModelVersion>(newest.Count);
        foreach (var version in newest)
        {
            latest.Add((await LoadVersionAsync(c, t, name, version, ct).ConfigureAwait(false))!);
        }

        return new RegisteredModel(name, created, updated, description, tags, aliases, latest);
    }

    private static async Task<ModelVersion?> LoadVersionAsync(DbConnection c, DbTransaction t, string name, long version, CancellationToken ct)
    {
        ModelVersion row;
        await using (var command = Sql.Command(c, t, $"SELECT {VersionColumns} FROM model_versions WHERE name = @n AND version = @v", ("n", name), ("v", version)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }

            row = ReadVersionRow(reader);
        }

        return await CompleteVersionAsync(c, t, row, ct).ConfigureAwait(false);
    }

    /// <summary>Reads the columns of <see cref="VersionColumns"/>; tags and aliases are filled later.</summary>
    private static ModelVersion ReadVersionRow(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetInt64(2),
        reader.GetInt64(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetString(7),
        reader.GetString(8),
        reader.GetString(9),
        ParseStatus(reader.GetString(10)),
        reader.GetString(11),
        new Dictionary<string, string>(),
        [],
        reader.GetString(12));

    private static async Task<ModelVersion> CompleteVersionAsync(DbConnection c, DbTransaction t, ModelVersion row, CancellationToken ct)
    {
        Dictionary<string, string> tags;
        await using (var command = Sql.Command(c, t, "SELECT key, value FROM model_version_tags WHERE name = @n AND version = @v", ("n", row.Name), ("v", row.Version)))
        {
            tags = await ReadTagsAsync(command, ct).ConfigureAwait(false);
        }

        var aliases = new List<string>();
        await using (var command = Sql.Command(c, t, "SELECT alias FROM aliases WHERE name = @n AND version = @v", ("n", row.Name), ("v", row.Version)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                aliases.Add(reader.GetString(0));
            }
        }

        aliases.Sort(StringComparer.Ordinal);
        return row with { Tags = tags, Aliases = aliases };
    }

    private static string StatusText(ModelVersionStatus status) => status switch
    {
        ModelVersionStatus.PendingRegistration => "PENDING_REGISTRATION",
        ModelVersionStatus.FailedRegistration => "FAILED_REGISTRATION",
        ModelVersionStatus.Ready => "READY",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown model version status."),
    };

    private static ModelVersionStatus ParseStatus(string text) => text switch
    {
        "PENDING_REGISTRATION" => ModelVersionStatus.PendingRegistration,
        "FAILED_REGISTRATION" => ModelVersionStatus.FailedRegistration,
        "READY" => ModelVersionStatus.Ready,
        _ => throw new InvalidDataException($"Unknown model version status '{text}' in the metadata database."),
    };
}
