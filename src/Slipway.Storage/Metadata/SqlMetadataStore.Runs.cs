using System.Data.Common;
using Slipway.Core.Registry;
using Slipway.Core.Search;
using Slipway.Core.Tracking;

namespace Slipway.Storage.Metadata;

/// <summary>Runs: creation, attributes, lifecycle, inputs and loading whole runs.</summary>
public sealed partial class SqlMetadataStore
{
    private const string RunNameTag = "mlflow.runName";

    private const string RunColumnList = "run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage";

    /// <inheritdoc />
    public Task<Run> CreateRunAsync(NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                var experimentId = await RequireActiveExperimentAsync(c, t, run.ExperimentId, cancellationToken).ConfigureAwait(false);
                try
                {
                    await Sql.ExecuteAsync(
                        c,
                        t,
                        $"INSERT INTO runs ({RunColumnList}) VALUES (@r, @e, @n, @u, @s, @st, NULL, @a, '{ActiveText}')",
                        cancellationToken,
                        ("r", run.RunId),
                        ("e", experimentId),
                        ("n", run.RunName),
                        ("u", run.UserId),
                        ("s", RunStatusText(RunStatus.Running)),
                        ("st", run.StartTime),
                        ("a", run.ArtifactUri)).ConfigureAwait(false);
                }
                catch (DbException e) when (_dialect.IsUniqueViolation(e))
                {
                    throw new RegistryException(RegistryErrorCode.ResourceAlreadyExists, $"Run with id={run.RunId} already exists.", e);
                }

                await UpsertTagsAsync(c, t, run.RunId, LastPerKey(run.Tags), cancellationToken).ConfigureAwait(false);
                return (await LoadRunsAsync(c, t, [run.RunId], cancellationToken).ConfigureAwait(false))[0];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Run?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return InTransactionAsync(
            write: false,
            async (c, t) => (await LoadRunsAsync(c, t, [runId], cancellationToken).ConfigureAwait(false)).FirstOrDefault(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RunInfo> UpdateRunAsync(string runId, RunUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(update);
        return InTransactionAsync(
            write: true,
            async (c, t) =>
            {
                await RequireActiveRunAsync(c, t, runId, cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(
                    c,
                    t,
                    "UPDATE runs SET status = COALESCE(@s, status), end_time = COALESCE(@et, end_time), name = COALESCE(@n, name) WHERE run_uuid = @r",
                    cancellationToken,
                    ("s", update.Status is { } status ? RunStatusText(status) : null),
                    ("et", update.EndTime),
                    ("n", update.RunName),
                    ("r", runId)).ConfigureAwait(false);
                if (update.RunName is { } name)
                {
                    await UpsertTagsAsync(c, t, runId, [new RunTag(RunNameTag, name)], cancellationToken).ConfigureAwait(false);
                }

                return (await LoadRunInfosAsync(c, t, [runId], cancellationToken).ConfigureAwait(false))[runId];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetRunLifecycleAsync(string runId, LifecycleStage stage, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WriteAsync(
            async (c, t) =>
            {
                var rows = await Sql.ExecuteAsync(
                    c,
                    t,
                    "UPDATE runs SET lifecycle_stage = @to, deleted_time = @dt, deleted_with_experiment = 0 WHERE run_uuid = @r",
                    cancellationToken,
                    ("to", LifecycleText(stage)),
                    ("dt", stage == LifecycleStage.Deleted ? timestamp : null),
                    ("r", runId)).ConfigureAwait(false);
                if (rows == 0)
                {
                    throw RunNotFound(runId);
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteRunTagAsync(string runId, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(
            async (c, t) =>
            {
                await RequireActiveRunAsync(c, t, runId, cancellationToken).ConfigureAwait(false);
                var rows = await Sql.ExecuteAsync(c, t, "DELETE FROM run_tags WHERE run_uuid = @r AND key = @k", cancellationToken, ("r", runId), ("k", key)).ConfigureAwait(false);
                if (rows == 0)
                {
                    throw RegistryException.NotFound($"No tag with name: {key} in run with id {runId}");
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(datasets);
        return WriteAsync(
            async (c, t) =>
            {
                await RequireActiveRunAsync(c, t, runId, cancellationToken).ConfigureAwait(false);
                var experimentId = await Sql.ScalarAsync<long>(c, t, "SELECT experiment_id FROM runs WHERE run_uuid = @r", cancellationToken, ("r", runId)).ConfigureAwait(false);
                var position = await Sql.ScalarAsync<long?>(c, t, "SELECT MAX(position) FROM run_inputs WHERE run_uuid = @r", cancellationToken, ("r", runId)).ConfigureAwait(false) ?? -1;
                foreach (var input in datasets)
                {
                    var dataset = input.Dataset;

                    // A dataset is one row per experiment, name and digest; concurrent loggers of the same one meet at the unique key.
                    await Sql.ExecuteAsync(
                        c,
                        t,
                        """
                        INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)
                        VALUES (@id, @e, @n, @d, @st, @s, @sc, @p) ON CONFLICT (experiment_id, name, digest) DO NOTHING
                        """,
                        cancellationToken,
                        ("id", Guid.NewGuid().ToString("N")),
                        ("e", experimentId),
                        ("n", dataset.Name),
                        ("d", dataset.Digest),
                        ("st", dataset.SourceType),
                        ("s", dataset.Source),
                        ("sc", dataset.Schema),
                        ("p", dataset.Profile)).ConfigureAwait(false);
                    var datasetId = await Sql.ScalarAsync<string>(
                        c,
                        t,
                        "SELECT dataset_uuid FROM datasets WHERE experiment_id = @e AND name = @n AND digest = @d",
                        cancellationToken,
                        ("e", experimentId),
                        ("n", dataset.Name),
                        ("d", dataset.Digest)).ConfigureAwait(false);

                    // Logging a dataset the run already has keeps the first record and its tags (as MLflow).
                    var linked = await Sql.ExecuteAsync(
                        c,
                        t,
                        "INSERT INTO run_inputs (run_uuid, dataset_uuid, position) VALUES (@r, @d, @p) ON CONFLICT (run_uuid, dataset_uuid) DO NOTHING",
                        cancellationToken,
                        ("r", runId),
                        ("d", datasetId),
                        ("p", position + 1)).ConfigureAwait(false);
                    if (linked == 0)
                    {
                        continue;
                    }

                    position++;
                    for (var i = 0; i < input.Tags.Count; i++)
                    {
                        await Sql.ExecuteAsync(
                            c,
                            t,
                            "INSERT INTO input_tags (run_uuid, dataset_uuid, position, key, value) VALUES (@r, @d, @p, @k, @v)",
                            cancellationToken,
                            ("r", runId),
                            ("d", datasetId),
                            ("p", (long)i),
                            ("k", input.Tags[i].Key),
                            ("v", input.Tags[i].Value)).ConfigureAwait(false);
                    }
                }
            },
            cancellationToken);
    }

    /// <summary>Whole runs (attributes, latest metrics, params, tags, inputs) in the order of <paramref name="runIds"/>; missing ids are skipped.</summary>
    private async Task<List<Run>> LoadRunsAsync(DbConnection c, DbTransaction t, List<string> runIds, CancellationToken ct)
    {
        if (runIds.Count == 0)
        {
            return [];
        }

        var infos = await LoadRunInfosAsync(c, t, runIds, ct).ConfigureAwait(false);

        // Each row names its run by position in runIds, so no run id is read back per metric, param or tag.
        var ids = _dialect.ListValue(runIds);
        var metrics = new List<Metric>?[runIds.Count];
        await using (var rows = await _dialect.QueryAsync(
            c,
            t,
            _dialect.SelectByRunPosition("x.key, x.value, x.is_nan, x.timestamp, x.step", "latest_metrics"),
            [("ids", ids)],
            ct).ConfigureAwait(false))
        {
            while (await rows.ReadAsync(ct).ConfigureAwait(false))
            {
                (metrics[rows.GetInt64(0)] ??= []).Add(new Metric(rows.GetRepeatedString(1), ReadMetricValue(rows, 2, 3), rows.GetInt64(4), rows.GetInt64(5)));
            }
        }

        SortEachByKey(metrics, m => m.Key);
        var parameters = await LoadKeyValuesAsync(c, t, "params", ids, runIds.Count, (key, value) => new Param(key, value), p => p.Key, ct).ConfigureAwait(false);
        var tags = await LoadKeyValuesAsync(c, t, "run_tags", ids, runIds.Count, (key, value) => new RunTag(key, value), g => g.Key, ct).ConfigureAwait(false);
        var inputs = await LoadInputsAsync(c, t, runIds, ct).ConfigureAwait(false);
        var runs = new List<Run>(runIds.Count);
        for (var at = 0; at < runIds.Count; at++)
        {
            if (infos.TryGetValue(runIds[at], out var info))
            {
                runs.Add(new Run(
                    info,
                    new RunData(metrics[at] ?? [], parameters[at] ?? [], tags[at] ?? []),
                    inputs.TryGetValue(runIds[at], out var i) ? i : []));
            }
        }

        return runs;
    }

    /// <summary>The key/value rows of <paramref name="table"/> (params or run_tags) of each listed run, by the run's position, sorted by key.</summary>
    private async Task<List<T>?[]> LoadKeyValuesAsync<T>(DbConnection c, DbTransaction t, string table, object ids, int count, Func<string, string, T> create, Func<T, string> keyOf, CancellationToken ct)
    {
        var result = new List<T>?[count];
        await using var rows = await _dialect.QueryAsync(
            c, t, _dialect.SelectByRunPosition("x.key, x.value", table), [("ids", ids)], ct).ConfigureAwait(false);
        while (await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            (result[rows.GetInt64(0)] ??= []).Add(create(rows.GetRepeatedString(1), rows.GetRepeatedString(2)));
        }

        SortEachByKey(result, keyOf);
        return result;
    }

    /// <summary>Sorts each run's rows by key (ordinal); rows usually arrive in key order already, which a single pass confirms.</summary>
    private static void SortEachByKey<T>(List<T>?[] lists, Func<T, string> keyOf)
    {
        foreach (var list in lists)
        {
            if (list is null)
            {
                continue;
            }

            for (var i = 1; i < list.Count; i++)
            {
                if (string.CompareOrdinal(keyOf(list[i - 1]), keyOf(list[i])) > 0)
                {
                    list.Sort((a, b) => string.CompareOrdinal(keyOf(a), keyOf(b)));
                    break;
                }
            }
        }
    }

    /// <summary>A stored metric value: NaN is kept as 0 with the is_nan flag set (SQLite cannot store NaN).</summary>
    private static double ReadMetricValue(RowReader rows, int valueOrdinal, int isNanOrdinal)
    {
        var value = rows.GetDouble(valueOrdinal);
        return value == 0 && rows.GetInt64(isNanOrdinal) != 0 ? double.NaN : value;
    }

    private async Task<Dictionary<string, RunInfo>> LoadRunInfosAsync(DbConnection c, DbTransaction t, List<string> runIds, CancellationToken ct)
    {
        var infos = new Dictionary<string, RunInfo>(runIds.Count, StringComparer.Ordinal);
        await using var rows = await _dialect.QueryAsync(
            c, t, $"SELECT {RunColumnList} FROM runs WHERE {_dialect.AnyOf("run_uuid", "@ids")}", [("ids", _dialect.ListValue(runIds))], ct).ConfigureAwait(false);
        while (await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = rows.GetString(0);
            infos[id] = new RunInfo(
                id,
                ExperimentIdText(rows.GetInt64(1)),
                rows.GetString(2),
                rows.GetString(3),
                ParseRunStatus(rows.GetString(4)),
                rows.GetInt64(5),
                rows.IsNull(6) ? null : rows.GetInt64(6),
                rows.GetString(7),
                ParseLifecycle(rows.GetString(8)));
        }

        return infos;
    }

    private async Task<Dictionary<string, List<DatasetInput>>> LoadInputsAsync(DbConnection c, DbTransaction t, List<string> runIds, CancellationToken ct)
    {
        var inputs = new Dictionary<string, List<DatasetInput>>(StringComparer.Ordinal);
        var byKey = new Dictionary<(string Run, string Dataset), List<RunTag>>();
        await using (var command = InCommand(
            c,
            t,
            "SELECT ri.run_uuid, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile FROM run_inputs ri JOIN datasets d ON d.dataset_uuid = ri.dataset_uuid WHERE",
            "ri.run_uuid",
            runIds,
            " ORDER BY ri.run_uuid, ri.position"))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var run = reader.GetString(0);
                var tagList = new List<RunTag>();
                byKey[(run, reader.GetString(1))] = tagList;
                Bucket(inputs, run).Add(new DatasetInput(
                    new Dataset(
                        reader.GetString(2),
                        reader.GetString(3),
                        reader.GetString(4),
                        reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6),
                        reader.IsDBNull(7) ? null : reader.GetString(7)),
                    tagList));
            }
        }

        if (byKey.Count == 0)
        {
            return inputs;
        }

        await using (var command = InCommand(c, t, "SELECT run_uuid, dataset_uuid, key, value FROM input_tags WHERE", "run_uuid", runIds, " ORDER BY run_uuid, dataset_uuid, position"))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (byKey.TryGetValue((reader.GetString(0), reader.GetString(1)), out var tagList))
                {
                    tagList.Add(new RunTag(reader.GetString(2), reader.GetString(3)));
                }
            }
        }

        return inputs;
    }

    private static List<T> Bucket<T>(Dictionary<string, List<T>> buckets, string key)
    {
        if (!buckets.TryGetValue(key, out var list))
        {
            buckets[key] = list = [];
        }

        return list;
    }
}
