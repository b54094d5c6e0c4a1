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
        await foreach (var group in InferenceLogScan.RowGroupsAsync(monitoringDirectory, model, since, until, newestFirst: false, cancellationToken).ConfigureAwait(false))
        {
            rows = await ReadGroupAsync(group, version, includeOutputs, columns, rows, cancellationToken).ConfigureAwait(false);
        }

        var result = new List<DriftColumn>(columns.Count);
        foreach (var column in columns)
        {
            column.PadTo(rows);
            result.Add(column.ToColumn());
        }

        return result;
    }

    private static async Task<int> ReadGroupAsync(InferenceLogRowGroup group, string? version, bool includeOutputs, List<Gathered> columns, int rows, CancellationToken cancellationToken)
    {
        var n = group.RowCount;
        var keep = new bool[n];
        var kept = 0;
        for (var r = 0; r < n; r++)
        {
            keep[r] = group.IsInWindow(r) && (version is null || group.Versions[r] == version);
            kept += keep[r] ? 1 : 0;
        }

        if (kept == 0)
        {
            return rows;
        }

        foreach (var column in group.Columns)
        {
            if (column.IsShape || (column.IsOutput && !includeOutputs))
            {
                continue;
            }

            var field = group.Field(column.Column);
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
            await target.ReadAsync(group, field, keep, cancellationToken).ConfigureAwait(false);
        }

        return rows + kept;
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

        public async Task ReadAsync(InferenceLogRowGroup group, DataField field, bool[] keep, CancellationToken cancellationToken)
        {
            if (kind == FeatureKind.Categorical)
            {
                if (InferenceLogRowGroup.ValueType(field) == typeof(bool))
                {
                    var flags = await group.ReadBooleansAsync(field, cancellationToken).ConfigureAwait(false);
                    for (var r = 0; r < flags.Length; r++)
                    {
                        if (keep[r])
                        {
                            _texts.Add(flags[r] is { } flag ? (flag ? CategoricalProfileBuilder.True : CategoricalProfileBuilder.False) : null);
                        }
                    }
                }
                else
                {
                    var texts = await group.ReadStringsAsync(field, cancellationToken).ConfigureAwait(false);
                    for (var r = 0; r < texts.Length; r++)
                    {
                        if (keep[r])
                        {
                            _texts.Add(texts[r]);
                        }
                    }
                }

                return;
            }

            var numbers = await group.ReadNumbersAsync(field, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < numbers.Length; r++)
            {
                if (keep[r])
                {
                    _numbers.Add(numbers[r] ?? double.NaN);
                }
            }
        }

        public DriftColumn ToColumn() => kind == FeatureKind.Numeric
            ? DriftColumn.Numeric(Name, [.. _numbers])
            : DriftColumn.Categorical(Name, [.. _texts]);
    }
}
