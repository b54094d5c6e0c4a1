using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;

namespace Slipway.Storage.Metadata;

/// <summary>Gate policies, promotion records, traffic splits and the event outbox.</summary>
public sealed partial class SqlMetadataStore : IDeploymentStore, IEventOutbox
{
    private const string PromotionColumns =
        "id, name, alias, kind, from_version, to_version, policy_revision, outcome, gates, problems, user_id, reason, created_at";

    /// <inheritdoc />
    public Task<GatePolicyRevision> AddGatePolicyAsync(string name, string alias, string document, bool isProtected, string userId, long timestamp, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                await RequireModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                await LockModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                var revision = 1 + (await Sql.ScalarAsync<long?>(
                    c, t, "SELECT MAX(revision) FROM gate_policies WHERE name = @n AND alias = @a", cancellationToken, ("n", name), ("a", alias)).ConfigureAwait(false) ?? 0);
                await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO gate_policies (name, alias, revision, document, is_protected, user_id, created_at) VALUES (@n, @a, @r, @d, @p, @u, @ts)",
                    cancellationToken,
                    ("n", name),
                    ("a", alias),
                    ("r", revision),
                    ("d", document),
                    ("p", isProtected ? 1L : 0L),
                    ("u", userId),
                    ("ts", timestamp)).ConfigureAwait(false);
                return new GatePolicyRevision(name, alias, revision, document, isProtected, userId, timestamp);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<GatePolicyRevision?> GetGatePolicyAsync(string name, string alias, long? revision, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                var sql = "SELECT name, alias, revision, document, is_protected, user_id, created_at FROM gate_policies WHERE name = @n AND alias = @a"
                    + (revision is null ? " ORDER BY revision DESC LIMIT 1" : " AND revision = @r");
                await using var command = Sql.Command(c, t, sql, ("n", name), ("a", alias));
                if (revision is { } r)
                {
                    Sql.Add(command, "r", r);
                }

                var found = await ReadPoliciesAsync(command, cancellationToken).ConfigureAwait(false);
                return found.Count == 0 ? null : found[0];
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<GatePolicyRevision>> ListGatePoliciesAsync(string name, string? alias, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                await RequireModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                var sql = "SELECT name, alias, revision, document, is_protected, user_id, created_at FROM gate_policies WHERE name = @n"
                    + (alias is null ? string.Empty : " AND alias = @a") + " ORDER BY alias, revision";
                await using var command = Sql.Command(c, t, sql, ("n", name));
                if (alias is not null)
                {
                    Sql.Add(command, "a", alias);
                }

                return await ReadPoliciesAsync(command, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<PromotionRecord> RecordPromotionAsync(PromotionRecord record, PromotionEffects effects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(effects);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                var name = record.Name;
                var alias = record.Alias;
                await RequireModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                await LockModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                var current = await CurrentAliasTargetAsync(c, t, name, alias, cancellationToken).ConfigureAwait(false);
                if ((effects.MoveAlias || effects.StartSplit is not null) && current != record.FromVersion)
                {
                    throw new RegistryException(
                        RegistryErrorCode.InvalidState,
                        $"alias '{alias}' of model {name} now points to {Describe(current)}, not {Describe(record.FromVersion)}: it moved while this ran; try again.");
                }

                var split = await ReadDeploymentAsync(c, t, name, alias, cancellationToken).ConfigureAwait(false);
                if (effects.EndSplitOf is { } ending && split?.PromotionId != ending)
                {
                    throw new RegistryException(
                        RegistryErrorCode.InvalidState,
                        split is null
                            ? $"alias '{alias}' of model {name} has no canary or shadow running."
                            : FormattableString.Invariant($"alias '{alias}' of model {name} runs the split of promotion {split.PromotionId}, not {ending}."));
                }

                if (effects.StartSplit is not null && split is not null)
                {
                    throw new RegistryException(
                        RegistryErrorCode.InvalidState,
                        FormattableString.Invariant($"alias '{alias}' of model {name} already runs a canary or shadow (promotion {split.PromotionId}); promote or stop it first."));
                }

                if (effects.MoveAlias)
                {
                    await RequireVersionAsync(c, t, name, record.ToVersion, cancellationToken).ConfigureAwait(false);
                }

                var id = await Sql.ScalarAsync<long>(
                    c,
                    t,
                    "INSERT INTO promotions (name, alias, kind, from_version, to_version, policy_revision, outcome, gates, problems, user_id, reason, created_at) "
                    + "VALUES (@n, @a, @k, @f, @to, @p, @o, @g, @pr, @u, @r, @ts) RETURNING id",
                    cancellationToken,
                    ("n", name),
                    ("a", alias),
                    ("k", DeploymentEvents.Snake(record.Kind.ToString())),
                    ("f", record.FromVersion),
                    ("to", record.ToVersion),
                    ("p", record.PolicyRevision),
                    ("o", DeploymentEvents.Snake(record.Outcome.ToString())),
                    ("g", DeploymentJson.Gates(record.Gates)),
                    ("pr", DeploymentJson.Problems(record.Problems)),
                    ("u", record.UserId),
                    ("r", record.Reason),
                    ("ts", record.CreatedAt)).ConfigureAwait(false);
                var stored = record with { Id = id };

                if (effects.EndSplitOf is not null)
                {
                    await Sql.ExecuteAsync(c, t, "DELETE FROM deployments WHERE name = @n AND alias = @a", cancellationToken, ("n", name), ("a", alias)).ConfigureAwait(false);
                }

                if (effects.MoveAlias)
                {
                    var change = new AliasChange(record.UserId, FormattableString.Invariant($"{DeploymentEvents.Snake(record.Kind.ToString())} #{id}: {record.Reason}").TrimEnd(' ', ':'), record.CreatedAt);
                    await MoveAliasAsync(c, t, name, alias, current, record.ToVersion, change, cancellationToken).ConfigureAwait(false);
                }

                if (effects.StartSplit is { } start)
                {
                    await InsertDeploymentAsync(c, t, start with { Name = name, Alias = alias, PromotionId = id }, cancellationToken).ConfigureAwait(false);
                }

                if (DeploymentEvents.For(stored) is { } eventType)
                {
                    await AppendEventAsync(c, t, eventType, DeploymentEvents.Payload(stored), record.CreatedAt, cancellationToken).ConfigureAwait(false);
                }

                return stored;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PromotionRecord>> ListPromotionsAsync(string name, string? alias, int maxResults, CancellationToken cancellationToken) =>
        InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                await RequireModelAsync(c, t, name, cancellationToken).ConfigureAwait(false);
                var sql = "SELECT " + PromotionColumns + " FROM promotions WHERE name = @n"
                    + (alias is null ? string.Empty : " AND alias = @a") + " ORDER BY id DESC LIMIT @m";
                await using var command = Sql.Command(c, t, sql, ("n", name), ("m", (long)maxResults));
                if (alias is not null)
                {
                    Sql.Add(command, "a", alias);
                }

                var records = new List<PromotionRecord>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    using var gates = JsonDocument.Parse(reader.GetString(8));
                    using var problems = JsonDocument.Parse(reader.GetString(9));
                    records.Add(new PromotionRecord(
                        reader.GetInt64(0),
                        reader.GetString(1),
                        reader.GetString(2),
                        DeploymentJson.ParseEnum<PromotionKind>(reader.GetString(3)),
                        reader.IsDBNull(4) ? null : reader.GetInt64(4),
                        reader.GetInt64(5),
                        reader.IsDBNull(6) ? null : reader.GetInt64(6),
                        DeploymentJson.ParseEnum<PromotionOutcome>(reader.GetString(7)),
                        DeploymentJson.ReadGates(gates.RootElement),
                        DeploymentJson.ReadProblems(problems.RootElement),
                        reader.GetString(10),
                        reader.GetString(11),
                        reader.GetInt64(12)));
                }

                return (IReadOnlyList<PromotionRecord>)records;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<DeploymentState?> GetDeploymentAsync(string name, string alias, CancellationToken cancellationToken) =>
        InTransactionAsync(write: false, (c, t) => ReadDeploymentAsync(c, t, name, alias, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<long> PublishAsync(string eventType, string dataJson, long timestamp, CancellationToken cancellationToken) =>
        InTransactionAsync(write: true, (c, t) => AppendEventAsync(c, t, eventType, dataJson, timestamp, cancellationToken), cancellationToken);

    /// <summary>Whether the newest gate policy of the alias makes it protected; read inside the caller's transaction.</summary>
    private static async Task<bool> IsAliasProtectedAsync(DbConnection c, DbTransaction t, string name, string alias, CancellationToken ct) =>
        await Sql.ScalarAsync<long?>(
            c, t, "SELECT is_protected FROM gate_policies WHERE name = @n AND alias = @a ORDER BY revision DESC LIMIT 1", ct, ("n", name), ("a", alias)).ConfigureAwait(false) == 1;

    /// <summary>Appends one event to the outbox inside the caller's transaction, so it commits with the change it reports.</summary>
    private static Task<long> AppendEventAsync(DbConnection c, DbTransaction t, string eventType, string dataJson, long timestamp, CancellationToken ct) =>
        Sql.ScalarAsync<long>(
            c,
            t,
            "INSERT INTO events (event_type, payload, created_at) VALUES (@e, @p, @ts) RETURNING id",
            ct,
            ("e", eventType),
            ("p", dataJson),
            ("ts", timestamp));

    private static async Task<DeploymentState?> ReadDeploymentAsync(DbConnection c, DbTransaction t, string name, string alias, CancellationToken ct)
    {
        await using var command = Sql.Command(
            c,
            t,
            "SELECT canary_version, canary_weight, sticky_key, shadow_version, shadow_share, policy, started_at, promotion_id FROM deployments WHERE name = @n AND alias = @a",
            ("n", name),
            ("a", alias));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        using var policy = JsonDocument.Parse(reader.GetString(5));
        return new DeploymentState(
            name,
            alias,
            reader.IsDBNull(0) ? null : reader.GetInt64(0),
            reader.GetDouble(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.GetDouble(4),
            DeploymentJson.ReadPolicy(policy.RootElement),
            reader.GetInt64(6),
            reader.GetInt64(7));
    }

    private static Task<int> InsertDeploymentAsync(DbConnection c, DbTransaction t, DeploymentState state, CancellationToken ct) =>
        Sql.ExecuteAsync(
            c,
            t,
            "INSERT INTO deployments (name, alias, canary_version, canary_weight, sticky_key, shadow_version, shadow_share, policy, started_at, promotion_id) "
            + "VALUES (@n, @a, @cv, @cw, @sk, @sv, @ss, @p, @ts, @id)",
            ct,
            ("n", state.Name),
            ("a", state.Alias),
            ("cv", state.CanaryVersion),
            ("cw", state.CanaryWeight),
            ("sk", state.StickyKey),
            ("sv", state.ShadowVersion),
            ("ss", state.ShadowShare),
            ("p", DeploymentJson.Policy(state.Policy)),
            ("ts", state.StartedAt),
            ("id", state.PromotionId));

    private static async Task<IReadOnlyList<GatePolicyRevision>> ReadPoliciesAsync(DbCommand command, CancellationToken ct)
    {
        var policies = new List<GatePolicyRevision>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            policies.Add(new GatePolicyRevision(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetInt64(4) == 1,
                reader.GetString(5),
                reader.GetInt64(6)));
        }

        return policies;
    }

    private static string Describe(long? version) =>
        version is { } v ? "version " + v.ToString(CultureInfo.InvariantCulture) : "no version";
}
