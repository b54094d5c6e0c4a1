using System.Runtime.CompilerServices;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// Walks a model's inference log over a time window, one Parquet row group at a time: the day partitions
/// <c>inferences/model=NAME/date=YYYY-MM-DD/</c> that the window touches (UTC days), their completed files
/// (<c>.parquet</c>, not <c>.parquet.partial</c>) in name order, which is hour order, and each file's row groups in the
/// order they were written. Files without the <c>slipway.columns</c> metadata are passed over. Callers decide which
/// rows they keep (<see cref="InferenceLogRowGroup.IsInWindow"/>) and which value columns they read.
/// </summary>
public static class InferenceLogScan
{
    /// <summary>
    /// The row groups of <paramref name="model"/>'s completed log files in the days [<paramref name="since"/>,
    /// <paramref name="until"/>] touches: oldest file first, or newest file first when <paramref name="newestFirst"/>
    /// (row groups within a file always in written order). A row group may hold rows outside the window. Each one is
    /// open only until the enumeration moves on: read what is needed before asking for the next.
    /// </summary>
    /// <param name="monitoringDirectory">The monitoring folder (<c>MONITORING_DIR</c>).</param>
    /// <param name="model">The model name.</param>
    /// <param name="since">The window's start (inclusive).</param>
    /// <param name="until">The window's end (exclusive).</param>
    /// <param name="newestFirst">Whether to read the newest day and file first; false: oldest first.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    public static async IAsyncEnumerable<InferenceLogRowGroup> RowGroupsAsync(
        string monitoringDirectory,
        string model,
        DateTimeOffset since,
        DateTimeOffset until,
        bool newestFirst,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(monitoringDirectory);
        ArgumentNullException.ThrowIfNull(model);
        var first = DateOnly.FromDateTime(since.UtcDateTime);
        var last = DateOnly.FromDateTime(until.UtcDateTime);
        var days = last.DayNumber - first.DayNumber + 1;
        for (var i = 0; i < days; i++)
        {
            var day = newestFirst ? last.AddDays(-i) : first.AddDays(i);
            var folder = Path.Combine(monitoringDirectory, MonitoringPaths.Inferences, MonitoringPaths.Partition(model, day));
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var files = Directory.GetFiles(folder, "*.parquet");
            Array.Sort(files, StringComparer.Ordinal);
            if (newestFirst)
            {
                Array.Reverse(files);
            }

            foreach (var file in files)
            {
                var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!reader.CustomMetadata.TryGetValue(InferenceLogLayout.ColumnsMetadataKey, out var json))
                    {
                        continue;
                    }

                    var columns = JsonSerializer.Deserialize(json, MonitoringJson.Default.IReadOnlyListLoggedColumn) ?? [];
                    var fields = reader.Schema.GetDataFields();
                    var byName = new Dictionary<string, DataField>(fields.Length, StringComparer.Ordinal);
                    foreach (var field in fields)
                    {
                        byName.TryAdd(field.Name, field);
                    }

                    var timestampField = fields.First(f => f.Name == "timestamp");
                    var versionField = fields.First(f => f.Name == "version");
                    for (var g = 0; g < reader.RowGroupCount; g++)
                    {
                        using var group = reader.OpenRowGroupReader(g);
                        var n = checked((int)group.RowCount);
                        var stamps = new DateTime[n];
                        await group.ReadAsync(timestampField, stamps.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                        var versions = new string?[n];
                        await group.ReadAsync(versionField, versions.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                        yield return new InferenceLogRowGroup(file, columns, fields, byName, group, stamps, versions, since.UtcDateTime, until.UtcDateTime);
                    }
                }
            }
        }
    }
}
