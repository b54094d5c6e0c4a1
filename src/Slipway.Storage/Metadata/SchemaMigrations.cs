using System.Data.Common;

namespace Slipway.Storage.Metadata;

/// <summary>
/// The metadata schema as an ordered list of migrations, recorded in <c>schema_migrations</c>. Migrations are
/// append-only: a released one is never edited, a change is a new entry.
/// </summary>
internal static class SchemaMigrations
{
    // {key} = the dialect's byte-wise text type for names, keys and paths; {id} = an auto-increasing primary key.
    // Names cascade on update so that renaming a model carries its versions, tags, files, aliases and history.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE registered_models (
            name {key} NOT NULL PRIMARY KEY,
            creation_time BIGINT NOT NULL,
            last_updated_time BIGINT NOT NULL,
            description TEXT NOT NULL,
            last_version BIGINT NOT NULL
        );
        CREATE TABLE registered_model_tags (
            name {key} NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
            key {key} NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (name, key)
        );
        CREATE TABLE model_versions (
            name {key} NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
            version BIGINT NOT NULL,
            creation_time BIGINT NOT NULL,
            last_updated_time BIGINT NOT NULL,
            description TEXT NOT NULL,
            user_id TEXT NOT NULL,
            current_stage TEXT NOT NULL,
            source {key} NOT NULL,
            run_id {key} NOT NULL,
            run_link TEXT NOT NULL,
            status TEXT NOT NULL,
            status_message TEXT NOT NULL,
            content_digest TEXT NOT NULL,
            PRIMARY KEY (name, version)
        );
        CREATE INDEX model_versions_by_status ON model_versions (status, creation_time);
        CREATE TABLE model_version_tags (
            name {key} NOT NULL,
            version BIGINT NOT NULL,
            key {key} NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (name, version, key),
            FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE
        );
        CREATE TABLE model_version_files (
            name {key} NOT NULL,
            version BIGINT NOT NULL,
            path {key} NOT NULL,
            sha256 TEXT NOT NULL,
            size BIGINT NOT NULL,
            PRIMARY KEY (name, version, path),
            FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE
        );
        CREATE TABLE aliases (
            name {key} NOT NULL,
            alias {key} NOT NULL,
            version BIGINT NOT NULL,
            PRIMARY KEY (name, alias),
            FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE
        );
        CREATE INDEX aliases_by_version ON aliases (name, version);
        CREATE TABLE alias_history (
            id {id},
            name {key} NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
            alias {key} NOT NULL,
            from_version BIGINT NULL,
            to_version BIGINT NULL,
            user_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            changed_at BIGINT NOT NULL
        );
        CREATE INDEX alias_history_by_name ON alias_history (name, id);
        CREATE TABLE artifact_files (
            path {key} NOT NULL PRIMARY KEY,
            sha256 TEXT NOT NULL,
            size BIGINT NOT NULL,
            updated_time BIGINT NOT NULL
        );
        """,
    ];

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Applies the missing migrations in one transaction; returns how many were applied.</summary>
    public static async Task<int> ApplyAsync(SqlDialect dialect, long timestamp, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await dialect.PrepareDatabaseAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var transaction = await dialect.BeginAsync(connection, write: true, cancellationToken).ConfigureAwait(false);
        await dialect.LockMigrationsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(
            connection,
            transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)",
            cancellationToken).ConfigureAwait(false);
        var current = await Sql.ScalarAsync<long?>(connection, transaction, "SELECT MAX(version) FROM schema_migrations", cancellationToken).ConfigureAwait(false) ?? 0;
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The metadata database {dialect.Description} has schema version {current}, newer than this Slipway understands ({Migrations.Length}). Upgrade Slipway.");
        }

        var applied = 0;
        for (var version = (int)current + 1; version <= Migrations.Length; version++)
        {
            var ddl = Migrations[version - 1].Replace("{key}", dialect.KeyTextType, StringComparison.Ordinal)
                .Replace("{id}", dialect.AutoIdColumn, StringComparison.Ordinal);
            await Sql.ExecuteAsync(connection, transaction, ddl, cancellationToken).ConfigureAwait(false);
            await Sql.ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t)",
                cancellationToken,
                ("v", (long)version),
                ("t", timestamp)).ConfigureAwait(false);
            applied++;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied;
    }
}
