using System.Data.Common;
using Slipway.Core.Artifacts;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Storage.Metadata;

/// <summary>Model versions, their tags and files.</summary>
public sealed partial class SqlMetadataStore
{
    private static readonly Dictionary<string, SearchColumn> VersionSearchColumns = new(StringComparer.Ordinal)
    {
        ["name"] = new("v.name", Numeric: false),
        ["version_number"] = new("v.version", Numeric: true),
        ["run_id"] = new("v.run_id", Numeric: false),
        ["source_path"] = new("v.source", Numeric: false),
        ["creation_timestamp"] = new("v.creation_time", Numeric: true),
        ["last_updated_timestamp"] = new("v.last_updated_time", Numeric: true),
    };

    // MLflow's order: requested terms, then name ascending, then newest version first.
    private static readonly OrderTerm[] VersionTieBreakers = [new("name", Descending: false), new("version_number", Descending: true)];

    /// <inheritdoc />
    public Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, IReadOnlyList<StoredFile>? files, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                // The row lock taken by this UPDATE serializes concurrent creators of one model, across processes too,
                // and the counter never goes back, so a deleted version's number is never handed out again.
                var number = await Sql.ScalarAsync<long?>(
                    c,
                    t,
                    "UPDATE registered_models SET last_version = last_version + 1, last_updated_time = @ts WHERE name = @n RETURNING last_version",
                    cancellationToken,
                    ("ts", timestamp),
                    ("n", version.Name)).ConfigureAwait(false) ?? throw ModelNotFound(version.Name);

                var status = files is null ? ModelVersionStatus.PendingRegistration : ModelVersionStatus.Ready;
                await Sql.ExecuteAsync(
                    c,
                    t,
                    $"INSERT INTO model_versions ({VersionColumns}) VALUES (@n, @v, @ts, @ts, @d, @u, 'None', @s, @r, @l, @st, '', @cd)",
                    cancellationToken,
                    ("n", version.Name),
                    ("v", number),
                    ("ts", timestamp),
                    ("d", version.Description ?? string.Empty),
                    ("u", version.UserId ?? string.Empty),
                    ("s", version.Source ?? string.Empty),
                    ("r", version.RunId ?? string.Empty),
                    ("l", version.RunLink ?? string.Empty),
                    ("st", StatusText(status)),
                    ("cd", files is null ? string.Empty : ManifestDigest.Compute(files))).ConfigureAwait(false);

                foreach (var (key, value) in version.Tags ?? new Dictionary<string, string>())
                {
                    await Sql.ExecuteAsync(
                        c, t, "INSERT INTO model_version_tags (name, version, key, value) VALUES (@n, @v, @k, @val)", cancellationToken, ("n", version.Name), ("v", number), ("k", key), ("val", value)).ConfigureAwait(false);
                }

                var created = (await LoadVersionAsync(c, t, version.Name, number, cancellationToken).ConfigureAwait(false))!;
                if (files is not null)
                {
                    await InsertFilesAsync(c, t, version.Name, number, files, cancellationToken).ConfigureAwait(false);
                    await AppendVersionCreatedAsync(c, t, created, timestamp, cancellationToken).ConfigureAwait(false);
                }

                return created;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelVersion> CompleteModelVersionAsync(string name, long version, ModelVersionStatus status, string statusMessage, IReadOnlyList<StoredFile> files, long timestamp, CancellationToken cancellationToken)
    {
        if (status == ModelVersionStatus.PendingRegistration)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A version can only be completed as ready or failed.");
        }

        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                var current = await Sql.ScalarAsync<string?>(
                    c, t, "SELECT status FROM model_versions WHERE name = @n AND version = @v", cancellationToken, ("n", name), ("v", version)).ConfigureAwait(false);
                if (current is null)
                {
                    await RequireModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                    throw VersionNotFound(name, version);
                }

                if (ParseStatus(current) != ModelVersionStatus.PendingRegistration)
                {
                    throw new RegistryException(
                        RegistryErrorCode.InvalidState,
                        FormattableString.Invariant($"Model Version (name={name}, version={version}) is not pending registration: its status is {current}."));
                }

                var digest = string.Empty;
                if (status == ModelVersionStatus.Ready)
                {
                    ArgumentNullException.ThrowIfNull(files);
                    await InsertFilesAsync(c, t, name, version, files, cancellationToken).ConfigureAwait(false);
                    digest = ManifestDigest.Compute(files);
                }

                await Sql.ExecuteAsync(
                    c,
                    t,
                    "UPDATE model_versions SET status = @st, status_message = @m, content_digest = @cd, last_updated_time = @ts WHERE name = @n AND version = @v",
                    cancellationToken,
                    ("st", StatusText(status)),
                    ("m", statusMessage ?? string.Empty),
                    ("cd", digest),
                    ("ts", timestamp),
                    ("n", name),
                    ("v", version)).ConfigureAwait(false);
                var completed = (await LoadVersionAsync(c, t, name, version, cancellationToken).ConfigureAwait(false))!;
                if (status == ModelVersionStatus.Ready)
                {
                    await AppendVersionCreatedAsync(c, t, completed, timestamp, cancellationToken).ConfigureAwait(false);
                }

                return completed;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> FailPendingModelVersionsAsync(long createdBefore, string statusMessage, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: true,
            (c, t) => Sql.ExecuteAsync(
                c,
                t,
                "UPDATE model_versions SET status = @failed, status_message = @m WHERE status = @pending AND creation_time < @before",
                cancellationToken,
                ("failed", StatusText(ModelVersionStatus.FailedRegistration)),
                ("m", statusMessage ?? string.Empty),
                ("pending", StatusText(ModelVersionStatus.PendingRegistration)),
                ("before", createdBefore)),
            cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion?> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken) =>
        InTransactionAsync(write: false, (c, t) => LoadVersionAsync(c, t, name, version, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFile>> GetModelVersionFilesAsync(string name, long version, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                const string sql = """
                    SELECT f.path, f.sha256, f.size FROM model_version_files f
                    JOIN model_versions v ON v.name = f.name AND v.version = f.version
                    WHERE f.name = @n AND f.version = @v AND v.status = @ready
                    """;
                var files = new List<StoredFile>();
                await using var command = Sql.Command(c, t, sql, ("n", name), ("v", version), ("ready", StatusText(ModelVersionStatus.Ready)));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    files.Add(new StoredFile(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }

                files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
                return (IReadOnlyList<StoredFile>)files;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string description, long timestamp, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                await RequireVersionAsync(c, t, name, version, cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(
                    c,
                    t,
                    "UPDATE model_versions SET description = @d, last_updated_time = @ts WHERE name = @n AND version = @v",
                    cancellationToken,
                    ("d", description ?? string.Empty),
                    ("ts", timestamp),
                    ("n", name),
                    ("v", version)).ConfigureAwait(false);
                return (await LoadVersionAsync(c, t, name, version, cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task DeleteModelVersionAsync(string name, long version, AliasChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(
            async (c, t) =>
            {
                await RequireVersionAsync(c, t, name, version, cancellationToken).ConfigureAwait(false);
                var aliases = new List<string>();
                await using (var command = Sql.Command(c, t, "SELECT alias FROM aliases WHERE name = @n AND version = @v", ("n", name), ("v", version)))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        aliases.Add(reader.GetString(0));
                    }
                }

                aliases.Sort(StringComparer.Ordinal);
                foreach (var alias in aliases)
                {
                    // Deleting the target of a protected alias would move it without a promotion or rollback.
                    await RefuseProtectedAsync(c, t, name, alias, cancellationToken).ConfigureAwait(false);
                }

                foreach (var alias in aliases)
                {
                    await AppendAliasHistoryAsync(c, t, name, alias, version, null, change, cancellationToken).ConfigureAwait(false);
                }

                // Tags, files and aliases of the version go with it (ON DELETE CASCADE).
                await Sql.ExecuteAsync(c, t, "DELETE FROM model_versions WHERE name = @n AND version = @v", cancellationToken, ("n", name), ("v", version)).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<ModelVersion>> SearchModelVersionsAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var offset = PageToken.Decode(query.PageToken);
        var pageSize = PageSize(query);
        var search = new SearchSql(VersionSearchColumns, "SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version");
        var sql = $"SELECT {string.Join(", ", VersionColumns.Split(", ").Select(col => "v." + col))} FROM model_versions v"
            + search.Where(query.Filter) + search.OrderBy(query.OrderBy, VersionTieBreakers) + search.Limit(pageSize + 1, offset);
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                var rows = new List<ModelVersion>();
                await using (var command = Sql.Command(c, t, sql))
                {
                    search.Bind(command);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(ReadVersionRow(reader));
                    }
                }

                var items = new List<ModelVersion>(Math.Min(rows.Count, pageSize));
                foreach (var row in rows.Take(pageSize))
                {
                    items.Add(await CompleteVersionAsync(c, t, row, cancellationToken).ConfigureAwait(false));
                }

                return new Page<ModelVersion>(items, rows.Count > pageSize ? PageToken.Encode(offset + pageSize) : null);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetModelVersionTagAsync(string name, long version, string key, string value, long timestamp, CancellationToken cancellationToken) =>
        WriteAsync(
            async (c, t) =>
            {
                await RequireVersionAsync(c, t, name, version, cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO model_version_tags (name, version, key, value) VALUES (@n, @v, @k, @val) ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value",
                    cancellationToken,
                    ("n", name),
                    ("v", version),
                    ("k", key),
                    ("val", value)).ConfigureAwait(false);
                await Sql.ExecuteAsync(
                    c, t, "UPDATE model_versions SET last_updated_time = @ts WHERE name = @n AND version = @v", cancellationToken, ("ts", timestamp), ("n", name), ("v", version)).ConfigureAwait(false);
                await AppendEventAsync(
                    c, t, RegistryEvents.ModelVersionTagSet, RegistryEvents.ModelVersionTagSetData(name, version, key, value), timestamp, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task DeleteModelVersionTagAsync(string name, long version, string key, CancellationToken cancellationToken) =>
        WriteAsync(
            async (c, t) =>
            {
                await RequireVersionAsync(c, t, name, version, cancellationToken).ConfigureAwait(false);
                var rows = await Sql.ExecuteAsync(
                    c, t, "DELETE FROM model_version_tags WHERE name = @n AND version = @v AND key = @k", cancellationToken, ("n", name), ("v", version), ("k", key)).ConfigureAwait(false);
                if (rows == 0)
                {
                    throw RegistryException.NotFound(FormattableString.Invariant($"Model Version tag with key={key} not found for name={name}, version={version}"));
                }

                await AppendEventAsync(
                    c,
                    t,
                    RegistryEvents.ModelVersionTagDeleted,
                    RegistryEvents.ModelVersionTagDeletedData(name, version, key),
                    _timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                    cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>
    /// Appends <c>model_version.created</c> when a version becomes READY: a version registered from local files is
    /// created pending and announced only once its files are stored, so a receiver can always download what it hears of.
    /// </summary>
    private static Task<long> AppendVersionCreatedAsync(DbConnection c, DbTransaction t, ModelVersion version, long timestamp, CancellationToken ct) =>
        AppendEventAsync(
            c,
            t,
            RegistryEvents.ModelVersionCreated,
            RegistryEvents.ModelVersionCreatedData(version.Name, version.Version, version.Source, version.RunId, version.Tags, version.Description),
            timestamp,
            ct);

    private static async Task InsertFilesAsync(DbConnection c, DbTransaction t, string name, long version, IReadOnlyList<StoredFile> files, CancellationToken ct)
    {
        foreach (var file in files)
        {
            await Sql.ExecuteAsync(
                c,
                t,
                "INSERT INTO model_version_files (name, version, path, sha256, size) VALUES (@n, @v, @p, @h, @s)",
                ct,
                ("n", name),
                ("v", version),
                ("p", file.Path),
                ("h", file.Sha256),
                ("s", file.Size)).ConfigureAwait(false);
        }
    }
}
