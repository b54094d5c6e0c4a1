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

        var search = new RunSearchSql();
        var sql = search.Build(ids.Count > 0 ? ids : [-1], LifecycleCondition("r.lifecycle_stage", viewType), query.Filter, query.OrderBy, pageSize + 1, offset);
        return InTransactionAsync(
            write: false,
            async (c, t) =>
            {
                var runIds = new List<string>(Math.Min(pageSize + 1, 1024));
                await using (var command = Sql.Command(c, t, sql))
                {
                    search.Bind(command);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        runIds.Add(reader.GetString(0));
                    }
                }

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
}
