using System.Data.Common;
using System.Globalization;
using System.Text;
using Slipway.Core.Registry;
using Slipway.Core.Search;
using Slipway.Core.Tracking;

namespace Slipway.Storage.Metadata;

/// <summary>Logging metrics, params and tags to runs, and reading metric histories.</summary>
public sealed partial class SqlMetadataStore
{
    /// <inheritdoc />
    public Task LogBatchAsync(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        return WriteAsync(
            async (c, t) =>
            {
                await RequireActiveRunAsync(c, t, runId, cancellationToken).ConfigureAwait(false);

                // Params first: a conflicting value throws before anything is written (the transaction is rolled back anyway).
                if (parameters.Count > 0)
                {
                    await LogParamsAsync(c, t, runId, parameters, cancellationToken).ConfigureAwait(false);
                }

                if (metrics.Count > 0)
                {
                    await LogMetricsAsync(c, t, runId, metrics, cancellationToken).ConfigureAwait(false);
                }

                if (tags.Count > 0)
                {
                    var last = LastPerKey(tags);
                    await UpsertTagsAsync(c, t, runId, last, cancellationToken).ConfigureAwait(false);

                    // The mlflow.runName tag is the run's name (as MLflow's set_tag).
                    if (last.FirstOrDefault(tag => tag.Key == RunNameTag) is { } name)
                    {
                        await Sql.ExecuteAsync(c, t, "UPDATE runs SET name = @n WHERE run_uuid = @r", cancellationToken, ("n", name.Value), ("r", runId)).ConfigureAwait(false);
                    }
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<Metric>> GetMetricHistoryAsync(string runId, string key, int? maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(key);
        if (maxResults is < 1)
        {
            throw RegistryException.Invalid(FormattableString.Invariant($"Invalid value {maxResults} for parameter 'max_results': must be at least 1."));
        }

        var offset = PageToken.Decode(pageToken);
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                if (await Sql.ScalarAsync<long?>(c, t, "SELECT 1 FROM runs WHERE run_uuid = @r", cancellationToken, ("r", runId)).ConfigureAwait(false) is null)
                {
                    throw RunNotFound(runId);
                }

                // The primary key (run_uuid, key, step, timestamp, value, is_nan) is this order: one range scan, no sort.
                long limit = maxResults is { } max ? max + 1L : long.MaxValue;
                var points = new List<Metric>(maxResults is { } m ? Math.Min(m + 1, 1 << 16) : 1 << 12);
                await using (var rows = await _dialect.QueryAsync(
                    c,
                    t,
                    "SELECT step, timestamp, value, is_nan FROM metrics WHERE run_uuid = @r AND key = @k ORDER BY step, timestamp, value LIMIT @l OFFSET @o",
                    [("r", runId), ("k", key), ("l", limit), ("o", offset)],
                    cancellationToken).ConfigureAwait(false))
                {
                    while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        points.Add(new Metric(key, ReadMetricValue(rows, 2, 3), rows.GetInt64(1), rows.GetInt64(0)));
                    }
                }

                if (maxResults is { } size && points.Count > size)
                {
                    points.RemoveAt(points.Count - 1);
                    return new Page<Metric>(points, PageToken.Encode(offset + size));
                }

                return new Page<Metric>(points, null);
            },
            cancellationToken);
    }

    /// <summary>Inserts params not yet logged; throws (writing nothing) when a key already has, or is given, another value.</summary>
    private async Task LogParamsAsync(DbConnection c, DbTransaction t, string runId, IReadOnlyList<Param> parameters, CancellationToken ct)
    {
        var wanted = new Dictionary<string, string>(parameters.Count, StringComparer.Ordinal);
        var order = new List<string>(parameters.Count);
        foreach (var param in parameters)
        {
            if (wanted.TryGetValue(param.Key, out var earlier))
            {
                if (!string.Equals(earlier, param.Value, StringComparison.Ordinal))
                {
                    throw ParamChanged(runId, param.Key, earlier, param.Value);
                }

                continue;
            }

            wanted[param.Key] = param.Value;
            order.Add(param.Key);
        }

        await using (var command = InCommand(c, t, "SELECT key, value FROM params WHERE run_uuid = @r AND", "key", order, parameters: ("r", runId)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var key = reader.GetString(0);
                var old = reader.GetString(1);
                if (!string.Equals(old, wanted[key], StringComparison.Ordinal))
                {
                    throw ParamChanged(runId, key, old, wanted[key]);
                }

                // Logging the same value again is accepted and changes nothing.
                wanted.Remove(key);
            }
        }

        var rows = order.Where(wanted.ContainsKey).Select(key => new object?[] { key, wanted[key] }).ToList();
        await InsertRowsAsync(c, t, runId, "INSERT INTO params (run_uuid, key, value) VALUES ", string.Empty, rows, ct).ConfigureAwait(false);
    }

    private static RegistryException ParamChanged(string runId, string key, string oldValue, string newValue) =>
        RegistryException.Invalid(
            $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{oldValue}' for run ID='{runId}'. Attempted logging new value '{newValue}'.");

    /// <summary>Appends to the histories (exact duplicates ignored, as MLflow) and moves each key's latest value forward once.</summary>
    private async Task LogMetricsAsync(DbConnection c, DbTransaction t, string runId, IReadOnlyList<Metric> metrics, CancellationToken ct)
    {
        var history = new List<object?[]>(metrics.Count);
        var newest = new Dictionary<string, Metric>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            var isNan = double.IsNaN(metric.Value);
            history.Add([metric.Key, metric.Step, metric.Timestamp, isNan ? 0d : metric.Value, isNan ? 1 : 0]);
            if (!newest.TryGetValue(metric.Key, out var best) || IsNewer(metric, best))
            {
                newest[metric.Key] = metric;
            }
        }

        await InsertRowsAsync(
            c, t, runId, "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES ", " ON CONFLICT DO NOTHING", history, ct).ConfigureAwait(false);

        var keys = newest.Keys.ToList();
        await using (var command = InCommand(c, t, "SELECT key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_uuid = @r AND", "key", keys, parameters: ("r", runId)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var stored = new Metric(reader.GetString(0), reader.GetInt32(2) != 0 ? double.NaN : reader.GetDouble(1), reader.GetInt64(3), reader.GetInt64(4));
                if (!IsNewer(newest[stored.Key], stored))
                {
                    newest.Remove(stored.Key);
                }
            }
        }

        var latest = new List<object?[]>(newest.Count);
        foreach (var key in keys)
        {
            if (newest.TryGetValue(key, out var metric))
            {
                var isNan = double.IsNaN(metric.Value);
                latest.Add([key, isNan ? 0d : metric.Value, isNan ? 1 : 0, metric.Timestamp, metric.Step]);
            }
        }

        await InsertRowsAsync(
            c,
            t,
            runId,
            "INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES ",
            " ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step",
            latest,
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// MLflow's latest-value rule: the larger step wins, then the later timestamp, then the larger value. NaN ranks
    /// below every number so the order is total; an equal point does not replace the stored one.
    /// </summary>
    private static bool IsNewer(Metric candidate, Metric current)
    {
        if (candidate.Step != current.Step)
        {
            return candidate.Step > current.Step;
        }

        if (candidate.Timestamp != current.Timestamp)
        {
            return candidate.Timestamp > current.Timestamp;
        }

        return (double.IsNaN(candidate.Value), double.IsNaN(current.Value)) switch
        {
            (true, _) => false,
            (false, true) => true,
            _ => candidate.Value > current.Value,
        };
    }

    /// <summary>The last value given for each key, in first-seen order (one upsert may not touch a row twice).</summary>
    private static List<RunTag> LastPerKey(IReadOnlyList<RunTag> tags)
    {
        var index = new Dictionary<string, int>(tags.Count, StringComparer.Ordinal);
        var result = new List<RunTag>(tags.Count);
        foreach (var tag in tags)
        {
            if (index.TryGetValue(tag.Key, out var at))
            {
                result[at] = tag;
            }
            else
            {
                index[tag.Key] = result.Count;
                result.Add(tag);
            }
        }

        return result;
    }

    /// <summary>Sets tags (distinct keys) on a run, replacing existing values.</summary>
    private Task UpsertTagsAsync(DbConnection c, DbTransaction t, string runId, IReadOnlyList<RunTag> tags, CancellationToken ct) =>
        InsertRowsAsync(
            c,
            t,
            runId,
            "INSERT INTO run_tags (run_uuid, key, value) VALUES ",
            " ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value",
            tags.Select(tag => new object?[] { tag.Key, tag.Value }).ToList(),
            ct);

    /// <summary>
    /// Inserts rows of one run: <c>@r</c> is the run id, each row's values follow it. <paramref name="head"/> ends
    /// with <c>VALUES </c>; <paramref name="tail"/> is the conflict clause. Rows go in <see cref="SqlDialect.RowsPerInsert"/>
    /// at a time; with one row per statement the command is prepared once and re-executed with its values rebound.
    /// </summary>
    private async Task InsertRowsAsync(DbConnection c, DbTransaction t, string runId, string head, string tail, List<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var perStatement = _dialect.RowsPerInsert;
        if (perStatement == 1)
        {
            var columns = rows[0].Length;
            await using var command = Sql.Command(c, t, string.Empty, ("r", runId));
            var sql = new StringBuilder(head).Append("(@r");
            var parameters = new DbParameter[columns];
            for (var column = 0; column < columns; column++)
            {
                var name = "@v" + column.ToString(CultureInfo.InvariantCulture);
                sql.Append(", ").Append(name);
                parameters[column] = command.CreateParameter();
                parameters[column].ParameterName = name;
                command.Parameters.Add(parameters[column]);
            }

            command.CommandText = sql.Append(')').Append(tail).ToString();
            foreach (var row in rows)
            {
                for (var column = 0; column < columns; column++)
                {
                    parameters[column].Value = row[column] ?? DBNull.Value;
                }

                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return;
        }

        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - start);
            await using var command = Sql.Command(c, t, string.Empty, ("r", runId));
            var sql = new StringBuilder(head, head.Length + tail.Length + (count * 48));
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                sql.Append(i == 0 ? "(@r" : ", (@r");
                for (var column = 0; column < row.Length; column++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@v{i}_{column}");
                    sql.Append(", ").Append(name);
                    Sql.Add(command, name, row[column]);
                }

                sql.Append(')');
            }

            command.CommandText = sql.Append(tail).ToString();
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
