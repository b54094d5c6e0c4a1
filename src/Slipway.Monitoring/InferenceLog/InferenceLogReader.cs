using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// Reads a model's logged input (and optionally output) columns back from the inference log as
/// <see cref="DriftColumn"/>s, for exact drift on raw logged data (<c>slipway drift MODEL --since 24h</c>): numbers as
/// numeric columns (null = NaN = missing), text and booleans as categorical ones. Only completed files are read
/// (<c>.parquet</c>, not <c>.parquet.partial</c>): flush the monitor first to include the latest rows.
/// </summary>
public static class InferenceLogReader
{
    /// <summary>
    /// The logged columns of <paramref name="model"/> for requests answered in [<paramref name="since"/>,
    /// <paramref name="until"/>), optionally of one <paramref name="version"/> only, in the order the files list them.
    /// Empty when nothing was logged.
    /// </summary>
    public static async Task<IReadOnlyList<DriftColumn>> ReadAsync(
        string monitoringDirectory,
        string model,
        DateTimeOffset since,
        DateTimeOffset until,
        string? version = null,
        bool includeOutputs = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(monitoringDirectory);
        ArgumentNullException.ThrowIfNull(model);
        var columns = new List<Gathered>();
        var rows = 0;
        for (var day = DateOnly.FromDateTime(since.UtcDateTime); day <= DateOnly.FromDateTime(until.UtcDateTime); day = day.AddDays(1))
        {
            var folder = Path.Combine(monitoringDirectory, MonitoringPaths.Inferences, MonitoringPaths.Partition(model, day));
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var files = Directory.GetFiles(folder, "*.parquet");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                rows = await ReadFileAsync(file, since.UtcDateTime, until.UtcDateTime, version, includeOutputs, columns, rows, cancellationToken).ConfigureAwait(false);
            }
        }

        var result = new List<DriftColumn>(columns.Count);
        foreach (var column in columns)
        {
            column.PadTo(rows);
            result.Add(column.ToColumn());
        }

        return result;
    }

    private static async Task<int> ReadFileAsync(string path, DateTime since, DateTime until, string? version, bool includeOutputs, List<Gathered> columns, int rows, CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!reader.CustomMetadata.TryGetValue(InferenceLogLayout.ColumnsMetadataKey, out var json))
            {
                return rows;
            }

            var logged = JsonSerializer.Deserialize(json, MonitoringJson.Default.IReadOnlyListLoggedColumn) ?? [];
            var fields = reader.Schema.GetDataFields();
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
                var keep = new bool[n];
                var kept = 0;
                for (var r = 0; r < n; r++)
                {
                    keep[r] = stamps[r] >= since && stamps[r] < until && (version is null || versions[r] == version);
                    kept += keep[r] ? 1 : 0;
                }

                if (kept == 0)
                {
                    continue;
                }

                foreach (var column in logged)
                {
                    if (column.IsShape || (column.IsOutput && !includeOutputs))
                    {
                        continue;
                    }

                    var field = fields.FirstOrDefault(f => f.Name == column.Column);
                    if (field is null)
                    {
                        continue;
                    }

                    var target = columns.Find(c => c.Name == column.Column);
                    if (target is null)
                    {
                        target = new Gathered(column.Column, column.Type is "BYTES" or "BOOL" ? FeatureKind.Categorical : FeatureKind.Numeric);
                        columns.Add(target);
                    }

                    target.PadTo(rows);
                    await target.ReadAsync(group, field, n, keep, cancellationToken).ConfigureAwait(false);
                }

                rows += kept;
            }
        }

        return rows;
    }

    /// <summary>One column's values gathered across files.</summary>
    private sealed class Gathered(string name, FeatureKind kind)
    {
        private readonly List<double> _numbers = [];
        private readonly List<string?> _texts = [];

        public string Name { get; } = name;

        private int Count => kind == FeatureKind.Numeric ? _numbers.Count : _texts.Count;

        public void PadTo(int rows)
        {
            while (Count < rows)
            {
                if (kind == FeatureKind.Numeric)
                {
                    _numbers.Add(double.NaN);
                }
                else
                {
                    _texts.Add(null);
                }
            }
        }

        public async Task ReadAsync(ParquetRowGroupReader group, DataField field, int n, bool[] keep, CancellationToken cancellationToken)
        {
            var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
            if (kind == FeatureKind.Categorical)
            {
                if (type == typeof(bool))
                {
                    var flags = new bool?[n];
                    await group.ReadAsync(field, flags.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                    for (var r = 0; r < n; r++)
                    {
                        if (keep[r])
                        {
                            _texts.Add(flags[r] is { } flag ? (flag ? CategoricalProfileBuilder.True : CategoricalProfileBuilder.False) : null);
                        }
                    }
                }
                else
                {
                    var texts = new string?[n];
                    await group.ReadAsync(field, texts.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                    for (var r = 0; r < n; r++)
                    {
                        if (keep[r])
                        {
                            _texts.Add(texts[r]);
                        }
                    }
                }

                return;
            }

            if (type == typeof(double))
            {
                await AddAsync<double>(group, field, n, keep, v => v, cancellationToken).ConfigureAwait(false);
            }
            else if (type == typeof(float))
            {
                await AddAsync<float>(group, field, n, keep, v => v, cancellationToken).ConfigureAwait(false);
            }
            else if (type == typeof(long))
            {
                await AddAsync<long>(group, field, n, keep, v => v, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AddAsync<int>(group, field, n, keep, v => v, cancellationToken).ConfigureAwait(false);
            }
        }

        public DriftColumn ToColumn() => kind == FeatureKind.Numeric
            ? DriftColumn.Numeric(Name, [.. _numbers])
            : DriftColumn.Categorical(Name, [.. _texts]);

        private async Task AddAsync<T>(ParquetRowGroupReader group, DataField field, int n, bool[] keep, Func<T, double> convert, CancellationToken cancellationToken)
            where T : struct
        {
            var values = new T?[n];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < n; r++)
            {
                if (keep[r])
                {
                    _numbers.Add(values[r] is { } v ? convert(v) : double.NaN);
                }
            }
        }
    }
}
