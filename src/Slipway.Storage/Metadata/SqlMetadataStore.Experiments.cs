using System.Data.Common;
using Slipway.Core.Registry;
using Slipway.Core.Search;
using Slipway.Core.Tracking;

namespace Slipway.Storage.Metadata;

/// <summary>Experiments and their tags.</summary>
public sealed partial class SqlMetadataStore
{
    private const string ExperimentColumnList = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    private static readonly Dictionary<string, SearchColumn> ExperimentColumns = new(StringComparer.Ordinal)
    {
        ["experiment_id"] = new("e.experiment_id", Numeric: true),
        ["name"] = new("e.name", Numeric: false),
        ["creation_time"] = new("e.creation_time", Numeric: true),
        ["last_update_time"] = new("e.last_update_time", Numeric: true),
    };

    private static readonly OrderTerm[] ExperimentTieBreakers = [new("creation_time", Descending: true), new("experiment_id", Descending: false)];

    /// <inheritdoc />
    public Task<Experiment> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyDictionary<string, string> tags, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tags);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                // One row update hands out the id: concurrent creators (other processes included) wait on its lock.
                var id = await Sql.ScalarAsync<long>(
                    c, t, "UPDATE id_counters SET value = value + 1 WHERE name = 'experiment' RETURNING value", cancellationToken).ConfigureAwait(false);
                var location = artifactLocation ?? "mlflow-artifacts:/" + ExperimentIdText(id);
                try
                {
                    await Sql.ExecuteAsync(
                        c,
                        t,
                        $"INSERT INTO experiments ({ExperimentColumnList}) VALUES (@id, @n, @loc, '{ActiveText}', @ts, @ts)",
                        cancellationToken,
                        ("id", id),
                        ("n", name),
                        ("loc", location),
                        ("ts", timestamp)).ConfigureAwait(false);
                }
                catch (DbException e) when (_dialect.IsUniqueViolation(e))
                {
                    throw new RegistryException(RegistryErrorCode.ResourceAlreadyExists, $"Experiment(name={name}) already exists.", e);
                }

                foreach (var (key, value) in tags)
                {
                    await Sql.ExecuteAsync(
                        c, t, "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (@id, @k, @v)", cancellationToken, ("id", id), ("k", key), ("v", value)).ConfigureAwait(false);
                }

                return (await LoadExperimentsAsync(c, t, [id], cancellationToken).ConfigureAwait(false))[0];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Experiment?> GetExperimentAsync(string experimentId, CancellationToken cancellationToken)
    {
        if (!TryParseExperimentId(experimentId, out var id))
        {
            return Task.FromResult<Experiment?>(null);
        }

        return InTransactionAsync(
            write: false,
            async (c, t) => (await LoadExperimentsAsync(c, t, [id], cancellationToken).ConfigureAwait(false)).FirstOrDefault(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                var id = await Sql.ScalarAsync<long?>(c, t, "SELECT experiment_id FROM experiments WHERE name = @n", cancellationToken, ("n", name)).ConfigureAwait(false);
                return id is { } found ? (await LoadExperimentsAsync(c, t, [found], cancellationToken).ConfigureAwait(false)).FirstOrDefault() : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<Experiment>> SearchExperimentsAsync(SearchQuery query, ViewType viewType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var offset = PageToken.Decode(query.PageToken);
        var pageSize = PageSize(query);
        foreach (var clause in query.Filter)
        {
            if (clause.Kind is not (FilterKeyKind.Attribute or FilterKeyKind.Tag))
            {
                throw RegistryException.Invalid($"Invalid filter: experiments have no {clause.Kind.ToString().ToLowerInvariant()}s ('{clause.Key}').");
            }
        }

        foreach (var term in query.OrderBy)
        {
            if (term.Kind != FilterKeyKind.Attribute)
            {
                throw RegistryException.Invalid($"Invalid order_by: experiments can only be ordered by attributes, got '{term.Key}'.");
            }
        }

        var search = new SearchSql(ExperimentColumns, "SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id");
        var where = search.Where(query.Filter);
        if (LifecycleCondition("e.lifecycle_stage", viewType) is { } stage)
        {
            where = where.Length == 0 ? " WHERE " + stage : where + " AND " + stage;
        }

        var sql = "SELECT e.experiment_id FROM experiments e" + where + search.OrderBy(query.OrderBy, ExperimentTieBreakers)
            + search.Limit(pageSize + 1, offset);
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                var ids = new List<long>();
                await using (var command = Sql.Command(c, t, sql))
                {
                    search.Bind(command);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(reader.GetInt64(0));
                    }
                }

                var more = ids.Count > pageSize;
                if (more)
                {
                    ids.RemoveAt(ids.Count - 1);
                }

                var items = await LoadExperimentsAsync(c, t, ids, cancellationToken).ConfigureAwait(false);
                return new Page<Experiment>(items, more ? PageToken.Encode(offset + pageSize) : null);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Experiment> RenameExperimentAsync(string experimentId, string newName, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newName);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                var id = await RequireActiveExperimentAsync(c, t, experimentId, cancellationToken).ConfigureAwait(false);
                try
                {
                    await Sql.ExecuteAsync(
                        c, t, "UPDATE experiments SET name = @n, last_update_time = @ts WHERE experiment_id = @id", cancellationToken, ("n", newName), ("ts", timestamp), ("id", id)).ConfigureAwait(false);
                }
                catch (DbException e) when (_dialect.IsUniqueViolation(e))
                {
                    throw new RegistryException(RegistryErrorCode.ResourceAlreadyExists, $"Experiment(name={newName}) already exists.", e);
                }

                return (await LoadExperimentsAsync(c, t, [id], cancellationToken).ConfigureAwait(false))[0];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetExperimentLifecycleAsync(string experimentId, LifecycleStage stage, long timestamp, CancellationToken cancellationToken) =>
        WriteAsync(
            async (c, t) =>
            {
                // As MLflow: deleting needs an active experiment and restoring a deleted one; otherwise it is not found.
                var from = stage == LifecycleStage.Deleted ? ActiveText : DeletedText;
                var to = LifecycleText(stage);
                if (!TryParseExperimentId(experimentId, out var id)
                    || await Sql.ExecuteAsync(
                        c,
                        t,
                        "UPDATE experiments SET lifecycle_stage = @to, last_update_time = @ts WHERE experiment_id = @id AND lifecycle_stage = @from",
                        cancellationToken,
                        ("to", to),
                        ("ts", timestamp),
                        ("id", id),
                        ("from", from)).ConfigureAwait(false) == 0)
                {
                    throw ExperimentNotFound(experimentId);
                }

                // The runs follow: deleting marks the active ones deleted, remembering which; restoring brings back
                // exactly those, so a run deleted on its own before stays deleted.
                if (stage == LifecycleStage.Deleted)
                {
                    await Sql.ExecuteAsync(
                        c,
                        t,
                        $"UPDATE runs SET lifecycle_stage = '{DeletedText}', deleted_time = @ts, deleted_with_experiment = 1 WHERE experiment_id = @id AND lifecycle_stage = '{ActiveText}'",
                        cancellationToken,
                        ("ts", timestamp),
                        ("id", id)).ConfigureAwait(false);
                }
                else
                {
                    await Sql.ExecuteAsync(
                        c,
                        t,
                        $"UPDATE runs SET lifecycle_stage = '{ActiveText}', deleted_time = NULL, deleted_with_experiment = 0 WHERE experiment_id = @id AND deleted_with_experiment = 1",
                        cancellationToken,
                        ("id", id)).ConfigureAwait(false);
                }
            },
            cancellationToken);

    /// <inheritdoc />
    public Task SetExperimentTagAsync(string experimentId, string key, string value, long timestamp, CancellationToken cancellationToken) =>
        WriteAsync(
            async (c, t) =>
            {
                var id = await RequireActiveExperimentAsync(c, t, experimentId, cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(c, t, "UPDATE experiments SET last_update_time = @ts WHERE experiment_id = @id", cancellationToken, ("ts", timestamp), ("id", id)).ConfigureAwait(false);
                await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (@id, @k, @v) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
                    cancellationToken,
                    ("id", id),
                    ("k", key),
                    ("v", value)).ConfigureAwait(false);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task DeleteExperimentTagAsync(string experimentId, string key, long timestamp, CancellationToken cancellationToken) =>
        WriteAsync(
            async (c, t) =>
            {
                var id = await RequireActiveExperimentAsync(c, t, experimentId, cancellationToken).ConfigureAwait(false);
                var rows = await Sql.ExecuteAsync(c, t, "DELETE FROM experiment_tags WHERE experiment_id = @id AND key = @k", cancellationToken, ("id", id), ("k", key)).ConfigureAwait(false);
                if (rows == 0)
                {
                    throw RegistryException.NotFound($"No tag with name: {key} in experiment with id {experimentId}");
                }

                await Sql.ExecuteAsync(c, t, "UPDATE experiments SET last_update_time = @ts WHERE experiment_id = @id", cancellationToken, ("ts", timestamp), ("id", id)).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>The experiment's numeric id; throws when it is missing or deleted.</summary>
    private async Task<long> RequireActiveExperimentAsync(DbConnection c, DbTransaction t, string experimentId, CancellationToken ct)
    {
        if (!TryParseExperimentId(experimentId, out var id))
        {
            throw ExperimentNotFound(experimentId);
        }

        var stage = await Sql.ScalarAsync<string?>(
            c, t, "SELECT lifecycle_stage FROM experiments WHERE experiment_id = @id" + _dialect.LockRowsSuffix, ct, ("id", id)).ConfigureAwait(false);
        return stage switch
        {
            null => throw ExperimentNotFound(experimentId),
            ActiveText => id,
            _ => throw RegistryException.Invalid($"The experiment {experimentId} must be in the 'active' state. Current state is {stage}."),
        };
    }

    /// <summary>The experiments with these ids, in the order given; missing ids are skipped.</summary>
    private async Task<List<Experiment>> LoadExperimentsAsync(DbConnection c, DbTransaction t, List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = new Dictionary<long, (string Name, string Location, LifecycleStage Stage, long Created, long Updated)>(ids.Count);
        await using (var command = InCommand(c, t, $"SELECT {ExperimentColumnList} FROM experiments WHERE", "experiment_id", ids))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows[reader.GetInt64(0)] = (reader.GetString(1), reader.GetString(2), ParseLifecycle(reader.GetString(3)), reader.GetInt64(4), reader.GetInt64(5));
            }
        }

        var tags = new Dictionary<long, Dictionary<string, string>>();
        await using (var command = InCommand(c, t, "SELECT experiment_id, key, value FROM experiment_tags WHERE", "experiment_id", ids))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                if (!tags.TryGetValue(id, out var bag))
                {
                    tags[id] = bag = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                bag[reader.GetString(1)] = reader.GetString(2);
            }
        }

        var result = new List<Experiment>(ids.Count);
        foreach (var id in ids)
        {
            if (rows.TryGetValue(id, out var row))
            {
                result.Add(new Experiment(
                    ExperimentIdText(id),
                    row.Name,
                    row.Location,
                    row.Stage,
                    row.Created,
                    row.Updated,
                    tags.TryGetValue(id, out var bag) ? bag : new Dictionary<string, string>(StringComparer.Ordinal)));
            }
        }

        return result;
    }
}
