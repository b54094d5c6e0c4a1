using System.Data.Common;
using Slipway.Core.Search;
using Slipway.Core.Tracking;

namespace Slipway.Storage.Metadata;

/// <summary>Run search: one query picks the page's run ids, then one query per kind of data loads those runs.</summary>
public sealed partial class SqlMetadataStore
{
    /// <inheritdoc />
    public Task<Page<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, SearchQuery query, ViewType viewType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        ArgumentNullException.ThrowIfNull(query);
        var offset = PageToken.Decode(query.PageToken);
        var pageSize = PageSize(query);

        // Ids that are not numbers name no experiment, so they match no runs.
        var ids = new List<long>(experimentIds.Count);
        foreach (var text in experimentIds)
        {
            if (TryParseExperimentId(text, out var id) && !ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        var lifecycle = LifecycleCondition("r.lifecycle_stage", viewType);
        var experiments = ids.Count > 0 ? ids : [-1];
        var metricLed = new RunSearchSql();
        var metricLedSql = !_dialect.SearchesRunsInMetricOrder ? null : metricLed.BuildMetricLed(experiments, lifecycle, query.Filter, query.OrderBy, pageSize + 1, offset);
        var search = new RunSearchSql();
        var sql = search.Build(experiments, lifecycle, query.Filter, query.OrderBy, pageSize + 1, offset);
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                List<string>? runIds = null;
                if (metricLedSql is not null)
                {
                    runIds = await ReadRunIdsAsync(c, t, metricLedSql, metricLed, pageSize + 1, cancellationToken).ConfigureAwait(false);
                    if (runIds.Count <= pageSize)
                    {
                        // The page runs past the runs with a number for the leading metric.
                        runIds = null;
                    }
                }

                runIds ??= await ReadRunIdsAsync(c, t, sql, search, pageSize + 1, cancellationToken).ConfigureAwait(false);
                var more = runIds.Count > pageSize;
                if (more)
                {
                    runIds.RemoveAt(runIds.Count - 1);
                }

                var runs = await LoadRunsAsync(c, t, runIds, cancellationToken).ConfigureAwait(false);
                return new Page<Run>(runs, more ? PageToken.Encode(offset + pageSize) : null);
            },
            cancellationToken);
    }

    private static async Task<List<string>> ReadRunIdsAsync(DbConnection connection, DbTransaction transaction, string sql, RunSearchSql search, int limit, CancellationToken cancellationToken)
    {
        var runIds = new List<string>(Math.Min(limit, 1024));
        await using var command = Sql.Command(connection, transaction, sql);
        search.Bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runIds.Add(reader.GetString(0));
        }

        return runIds;
    }
}
