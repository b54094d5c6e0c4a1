using System.Data.Common;

namespace Slipway.Storage.Metadata;

/// <summary>
/// The metadata schema as an ordered list of migrations, recorded in <c>schema_migrations</c>. Migrations are
/// append-only: a released one is never edited, a change is a new entry.
/// </summary>
internal static class SchemaMigrations
{
    // {key} = the dialect's byte-wise text type for names, keys and paths; {id} = an auto-increasing primary key;
    // {clustered} = the suffix that stores a table in its primary key's order (SQLite's WITHOUT ROWID); {now} = the
    // migration's timestamp in milliseconds.
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

        // Experiment tracking. Experiment ids come from id_counters (one row update, so concurrent creators
        // serialize on it); the Default experiment 0 always exists. NaN cannot be stored as a SQLite REAL (it becomes
        // NULL), so metric values carry an is_nan flag with value 0. The metric history's primary key is the order
        // it is read in, so reading a history is one range scan; latest_metrics holds each key's newest value by
        // MLflow's rule (largest step, then timestamp, then value) for search and GetRun.
        """
        CREATE TABLE id_counters (
            name {key} NOT NULL PRIMARY KEY,
            value BIGINT NOT NULL
        );
        INSERT INTO id_counters (name, value) VALUES ('experiment', 0);
        CREATE TABLE experiments (
            experiment_id BIGINT NOT NULL PRIMARY KEY,
            name {key} NOT NULL UNIQUE,
            artifact_location TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL,
            creation_time BIGINT NOT NULL,
            last_update_time BIGINT NOT NULL
        );
        CREATE INDEX experiments_by_creation ON experiments (creation_time, experiment_id);
        INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', {now}, {now});
        CREATE TABLE experiment_tags (
            experiment_id BIGINT NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
            key {key} NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (experiment_id, key)
        );
        CREATE TABLE runs (
            run_uuid {key} NOT NULL PRIMARY KEY,
            experiment_id BIGINT NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
            name {key} NOT NULL,
            user_id {key} NOT NULL,
            status {key} NOT NULL,
            start_time BIGINT NOT NULL,
            end_time BIGINT NULL,
            artifact_uri {key} NOT NULL,
            lifecycle_stage TEXT NOT NULL,
            deleted_time BIGINT NULL,
            deleted_with_experiment INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX runs_by_experiment ON runs (experiment_id, lifecycle_stage, start_time, run_uuid);
        CREATE TABLE run_tags (
            run_uuid {key} NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
            key {key} NOT NULL,
            value {key} NOT NULL,
            PRIMARY KEY (run_uuid, key)
        ){clustered};
        CREATE INDEX run_tags_by_key ON run_tags (key, run_uuid);
        CREATE TABLE params (
            run_uuid {key} NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
            key {key} NOT NULL,
            value {key} NOT NULL,
            PRIMARY KEY (run_uuid, key)
        ){clustered};
        CREATE INDEX params_by_key ON params (key, run_uuid);
        CREATE TABLE metrics (
            run_uuid {key} NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
            key {key} NOT NULL,
            step BIGINT NOT NULL,
            timestamp BIGINT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            is_nan INTEGER NOT NULL,
            PRIMARY KEY (run_uuid, key, step, timestamp, value, is_nan)
        ){clustered};
        CREATE TABLE latest_metrics (
            run_uuid {key} NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
            key {key} NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            is_nan INTEGER NOT NULL,
            timestamp BIGINT NOT NULL,
            step BIGINT NOT NULL,
            PRIMARY KEY (run_uuid, key)
        ){clustered};
        CREATE INDEX latest_metrics_by_key ON latest_metrics (key, is_nan, value, run_uuid);
        CREATE TABLE datasets (
            dataset_uuid {key} NOT NULL PRIMARY KEY,
            experiment_id BIGINT NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
            name {key} NOT NULL,
            digest {key} NOT NULL,
            source_type TEXT NOT NULL,
            source TEXT NOT NULL,
            schema TEXT NULL,
            profile TEXT NULL,
            UNIQUE (experiment_id, name, digest)
        );
        CREATE TABLE run_inputs (
            run_uuid {key} NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
            dataset_uuid {key} NOT NULL REFERENCES datasets (dataset_uuid) ON DELETE CASCADE,
            position BIGINT NOT NULL,
            PRIMARY KEY (run_uuid, dataset_uuid)
        );
        CREATE INDEX run_inputs_by_dataset ON run_inputs (dataset_uuid);
        CREATE TABLE input_tags (
            run_uuid {key} NOT NULL,
            dataset_uuid {key} NOT NULL,
            position BIGINT NOT NULL,
            key {key} NOT NULL,
            value {key} NOT NULL,
            PRIMARY KEY (run_uuid, dataset_uuid, position),
            FOREIGN KEY (run_uuid, dataset_uuid) REFERENCES run_inputs (run_uuid, dataset_uuid) ON DELETE CASCADE
        );
        CREATE INDEX input_tags_by_key ON input_tags (key, run_uuid);
        """,

        // Deployment: versioned gate policies per model and alias, the record of every promotion attempt, the running
        // traffic split of an alias, and the event outbox that webhooks deliver from. Promotions and events are
        // append-only; a split row exists only while a canary or shadow runs.
        """
        CREATE TABLE gate_policies (
            name {key} NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
            alias {key} NOT NULL,
            revision BIGINT NOT NULL,
            document TEXT NOT NULL,
            is_protected INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (name, alias, revision)
        );
        CREATE TABLE promotions (
            id {id},
            name {key} NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
            alias {key} NOT NULL,
            kind TEXT NOT NULL,
            from_version BIGINT NULL,
            to_version BIGINT NOT NULL,
            policy_revision BIGINT NULL,
            outcome TEXT NOT NULL,
            gates TEXT NOT NULL,
            problems TEXT NOT NULL,
            user_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE INDEX promotions_by_alias ON promotions (name, alias, id);
        CREATE TABLE deployments (
            name {key} NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
            alias {key} NOT NULL,
            canary_version BIGINT NULL,
            canary_weight DOUBLE PRECISION NOT NULL,
            sticky_key TEXT NOT NULL,
            shadow_version BIGINT NULL,
            shadow_share DOUBLE PRECISION NOT NULL,
            policy TEXT NOT NULL,
            started_at BIGINT NOT NULL,
            promotion_id BIGINT NOT NULL,
            PRIMARY KEY (name, alias)
        );
        CREATE TABLE events (
            id {id},
            event_type {key} NOT NULL,
            payload TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        """,

        // Webhooks (MLflow's webhook entity plus Slipway's events) and their durable delivery: one delivery per
        // (webhook, event) with its state, attempt count, next due time and the lease of the dispatcher sending it;
        // one row per HTTP attempt; and the fan-out cursor, the last outbox event already turned into deliveries.
        """
        CREATE TABLE webhooks (
            id {key} NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NULL,
            url TEXT NOT NULL,
            events TEXT NOT NULL,
            status TEXT NOT NULL,
            secret TEXT NULL,
            creation_time BIGINT NOT NULL,
            last_updated_time BIGINT NOT NULL
        );
        CREATE INDEX webhooks_by_creation ON webhooks (creation_time, id);
        CREATE TABLE webhook_deliveries (
            id {key} NOT NULL PRIMARY KEY,
            webhook_id {key} NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
            event_id BIGINT NOT NULL REFERENCES events (id),
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at BIGINT NOT NULL,
            lease_owner TEXT NULL,
            lease_until BIGINT NULL,
            created_at BIGINT NOT NULL,
            last_status_code INTEGER NULL,
            last_error TEXT NULL,
            UNIQUE (webhook_id, event_id)
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
        CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, event_id);
        CREATE TABLE webhook_attempts (
            delivery_id {key} NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
            attempt INTEGER NOT NULL,
            started_at BIGINT NOT NULL,
            duration_ms BIGINT NOT NULL,
            status_code INTEGER NULL,
            error TEXT NULL,
            next_attempt_at BIGINT NULL,
            PRIMARY KEY (delivery_id, attempt)
        );
        CREATE TABLE webhook_cursor (
            id INTEGER NOT NULL PRIMARY KEY,
            last_event_id BIGINT NOT NULL
        );
        INSERT INTO webhook_cursor (id, last_event_id) VALUES (1, 0);
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
                .Replace("{id}", dialect.AutoIdColumn, StringComparison.Ordinal)
                .Replace("{clustered}", dialect.ClusteredTableSuffix, StringComparison.Ordinal)
                .Replace("{now}", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
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
