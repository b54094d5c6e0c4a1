using System.Data.Common;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Registry;

namespace Slipway.Storage.Metadata;

/// <summary>Aliases and their append-only history.</summary>
public sealed partial class SqlMetadataStore
{
    /// <inheritdoc />
    public Task SetAliasAsync(string name, string alias, long version, AliasChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(
            async (c, t) =>
            {
                await RequireVersionAsync(c, t, name, version, cancellationToken).ConfigureAwait(false);
                await LockModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                await RefuseProtectedAsync(c, t, name, alias, cancellationToken).ConfigureAwait(false);
                var previous = await CurrentAliasTargetAsync(c, t, name, alias, cancellationToken).ConfigureAwait(false);
                await MoveAliasAsync(c, t, name, alias, previous, version, change, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAliasAsync(string name, string alias, AliasChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(
            async (c, t) =>
            {
                await RequireModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                await LockModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                await RefuseProtectedAsync(c, t, name, alias, cancellationToken).ConfigureAwait(false);
                var previous = await Sql.ScalarAsync<long?>(
                    c, t, "SELECT version FROM aliases WHERE name = @n AND alias = @a", cancellationToken, ("n", name), ("a", alias)).ConfigureAwait(false)
                    ?? throw RegistryException.NotFound($"Registered model alias {alias} not found.");
                await Sql.ExecuteAsync(c, t, "DELETE FROM aliases WHERE name = @n AND alias = @a", cancellationToken, ("n", name), ("a", alias)).ConfigureAwait(false);
                await AppendAliasHistoryAsync(c, t, name, alias, previous, null, change, cancellationToken).ConfigureAwait(false);
                await AppendEventAsync(
                    c, t, RegistryEvents.ModelVersionAliasDeleted, RegistryEvents.ModelVersionAliasDeletedData(name, alias), change.Timestamp, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ModelVersion?> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                var version = await Sql.ScalarAsync<long?>(
                    c, t, "SELECT version FROM aliases WHERE name = @n AND alias = @a", cancellationToken, ("n", name), ("a", alias)).ConfigureAwait(false);
                return version is null ? null : await LoadVersionAsync(c, t, name, version.Value, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AliasHistoryEntry>> GetAliasHistoryAsync(string name, string? alias, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                await RequireModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                var sql = "SELECT id, name, alias, from_version, to_version, user_id, reason, changed_at FROM alias_history WHERE name = @n"
                    + (alias is null ? string.Empty : " AND alias = @a") + " ORDER BY id";
                await using var command = Sql.Command(c, t, sql, ("n", name));
                if (alias is not null)
                {
                    Sql.Add(command, "a", alias);
                }

                var entries = new List<AliasHistoryEntry>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(new AliasHistoryEntry(
                        reader.GetInt64(0),
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetInt64(3),
                        reader.IsDBNull(4) ? null : reader.GetInt64(4),
                        reader.GetString(5),
                        reader.GetString(6),
                        reader.GetInt64(7)));
                }

                return (IReadOnlyList<AliasHistoryEntry>)entries;
            },
            cancellationToken);

    /// <summary>Protected aliases (their gate policy says so) move only through promotions and rollbacks, never a plain set or delete.</summary>
    private static async Task RefuseProtectedAsync(DbConnection c, DbTransaction t, string name, string alias, CancellationToken ct)
    {
        if (await IsAliasProtectedAsync(c, t, name, alias, ct).ConfigureAwait(false))
        {
            throw new RegistryException(
                RegistryErrorCode.InvalidState,
                $"alias '{alias}' of model {name} is protected by its gate policy: move it with 'slipway promote' or 'slipway rollback'.");
        }
    }

    private static Task<long?> CurrentAliasTargetAsync(DbConnection c, DbTransaction t, string name, string alias, CancellationToken ct) =>
        Sql.ScalarAsync<long?>(c, t, "SELECT version FROM aliases WHERE name = @n AND alias = @a", ct, ("n", name), ("a", alias));

    /// <summary>
    /// Points the alias at <paramref name="version"/>, records the move and appends <c>model_version_alias.created</c>
    /// (also for promotions and rollbacks, which move aliases through here); the caller holds the model's lock and read
    /// <paramref name="previous"/> under it.
    /// </summary>
    private static async Task MoveAliasAsync(DbConnection c, DbTransaction t, string name, string alias, long? previous, long version, AliasChange change, CancellationToken ct)
    {
        await Sql.ExecuteAsync(
            c,
            t,
            "INSERT INTO aliases (name, alias, version) VALUES (@n, @a, @v) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
            ct,
            ("n", name),
            ("a", alias),
            ("v", version)).ConfigureAwait(false);
        await AppendAliasHistoryAsync(c, t, name, alias, previous, version, change, ct).ConfigureAwait(false);
        await AppendEventAsync(
            c, t, RegistryEvents.ModelVersionAliasCreated, RegistryEvents.ModelVersionAliasCreatedData(name, alias, version), change.Timestamp, ct).ConfigureAwait(false);
    }

    private static Task<int> AppendAliasHistoryAsync(DbConnection c, DbTransaction t, string name, string alias, long? from, long? to, AliasChange change, CancellationToken ct) =>
        Sql.ExecuteAsync(
            c,
            t,
            "INSERT INTO alias_history (name, alias, from_version, to_version, user_id, reason, changed_at) VALUES (@n, @a, @f, @to, @u, @r, @ts)",
            ct,
            ("n", name),
            ("a", alias),
            ("f", from),
            ("to", to),
            ("u", change.User ?? string.Empty),
            ("r", change.Reason ?? string.Empty),
            ("ts", change.Timestamp));

    // Alias moves of one model are serialized on the model's row: the "from" version read below must still be current
    // when the history entry is written, or two concurrent moves would both record the same predecessor.
    private Task<long?> LockModelAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) =>
        Sql.ScalarAsync<long?>(
            connection, transaction, "SELECT 1 FROM registered_models WHERE name = @n" + _dialect.LockRowsSuffix, cancellationToken, ("n", name));
}
