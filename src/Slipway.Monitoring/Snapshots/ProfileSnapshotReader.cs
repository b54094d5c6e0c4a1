using System.Globalization;
using Parquet;
using Parquet.Schema;
using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;
using static Slipway.Monitoring.Snapshots.ProfileSnapshotWriter;

namespace Slipway.Monitoring.Snapshots;

/// <summary>
/// Reads profile snapshots back into <see cref="DatasetProfile"/>s, exactly as they were written (histograms, sketch
/// items and categories included), so that windows can be merged from files after a restart without rescanning the
/// inference log. Snapshots lie under <c>profiles/model=NAME/date=YYYY-MM-DD/</c>: <c>HH-vVERSION.parquet</c> per UTC
/// hour and <c>day-vVERSION.parquet</c> per UTC day.
/// </summary>
public static class ProfileSnapshotReader
{
    /// <summary>Reads one snapshot file.</summary>
    /// <exception cref="InvalidDataException">The file is not a profile snapshot.</exception>
    public static async Task<ProfileSnapshot> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var meta = reader.CustomMetadata;
            if (!meta.TryGetValue("slipway.model", out var model) || !meta.TryGetValue("slipway.version", out var version))
            {
                throw new InvalidDataException($"'{path}' is not a profile snapshot (no slipway.model/slipway.version metadata).");
            }

            var start = DateTimeOffset.Parse(meta["slipway.start"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            var end = DateTimeOffset.Parse(meta["slipway.end"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            var rows = long.Parse(meta["slipway.rows"], CultureInfo.InvariantCulture);
            var features = new List<FeatureProfile>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                features.AddRange(await ReadGroupAsync(group, cancellationToken).ConfigureAwait(false));
            }

            var profile = new DatasetProfile(start, end, rows, features);
            return new ProfileSnapshot(path, model, version, meta.GetValueOrDefault("slipway.period") == "day", meta.GetValueOrDefault("slipway.partial") == "true", profile);
        }
    }

    /// <summary>
    /// The hourly snapshots of <paramref name="model"/> (every version, or only <paramref name="version"/>) whose hour
    /// starts in [<paramref name="from"/>, <paramref name="to"/>), oldest first.
    /// </summary>
    public static async Task<IReadOnlyList<ProfileSnapshot>> ReadHoursAsync(string monitoringDirectory, string model, string? version, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var list = new List<ProfileSnapshot>();
        foreach (var path in HourFiles(monitoringDirectory, model, version, from, to))
        {
            list.Add(await ReadAsync(path, cancellationToken).ConfigureAwait(false));
        }

        return list;
    }

    /// <summary>The hourly snapshot files of a model whose hour starts in [from, to), oldest first.</summary>
    internal static IEnumerable<string> HourFiles(string monitoringDirectory, string model, string? version, DateTimeOffset from, DateTimeOffset to)
    {
        var suffix = version is null ? null : "-v" + Uri.EscapeDataString(version) + ".parquet";
        for (var day = DateOnly.FromDateTime(from.UtcDateTime); day <= DateOnly.FromDateTime(to.UtcDateTime); day = day.AddDays(1))
        {
            var folder = Path.Combine(monitoringDirectory, MonitoringPaths.Profiles, MonitoringPaths.Partition(model, day));
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var files = Directory.GetFiles(folder, "*.parquet");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                var name = Path.GetFileName(file);
                if (name.Length < 3 || !int.TryParse(name.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour) || name[2] != '-')
                {
                    continue;
                }

                if (suffix is not null && !name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    continue;
                }

                var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);
                if (start >= from && start < to)
                {
                    yield return file;
                }
            }
        }
    }

    private static async Task<List<FeatureProfile>> ReadGroupAsync(ParquetRowGroupReader group, CancellationToken cancellationToken)
    {
        var n = checked((int)group.RowCount);
        var names = await StringsAsync(group, Feature, n).ConfigureAwait(false);
        var kinds = await StringsAsync(group, Kind, n).ConfigureAwait(false);
        var count = await ValuesAsync<long>(group, Count, n, cancellationToken).ConfigureAwait(false);
        var missing = await ValuesAsync<long>(group, Missing, n, cancellationToken).ConfigureAwait(false);
        var mean = await ValuesAsync<double>(group, Mean, n, cancellationToken).ConfigureAwait(false);
        var variance = await ValuesAsync<double>(group, Variance, n, cancellationToken).ConfigureAwait(false);
        var min = await ValuesAsync<double>(group, Min, n, cancellationToken).ConfigureAwait(false);
        var max = await ValuesAsync<double>(group, Max, n, cancellationToken).ConfigureAwait(false);
        var edges = await ParquetLists.ReadAsync<double>(group, HistogramEdges, cancellationToken).ConfigureAwait(false);
        var binCounts = await ParquetLists.ReadAsync<long>(group, HistogramCounts, cancellationToken).ConfigureAwait(false);
        var below = await ValuesAsync<long>(group, Below, n, cancellationToken).ConfigureAwait(false);
        var above = await ValuesAsync<long>(group, Above, n, cancellationToken).ConfigureAwait(false);
        var categories = await ParquetLists.ReadStringsAsync(group, Categories, cancellationToken).ConfigureAwait(false);
        var categoryCounts = await ParquetLists.ReadAsync<long>(group, CategoryCounts, cancellationToken).ConfigureAwait(false);
        var other = await ValuesAsync<long>(group, Other, n, cancellationToken).ConfigureAwait(false);
        var unique = new long?[n];
        await group.ReadAsync(UniqueCount, unique.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        var sketchValues = await ParquetLists.ReadAsync<double>(group, SketchValues, cancellationToken).ConfigureAwait(false);
        var sketchWeights = await ParquetLists.ReadAsync<long>(group, SketchWeights, cancellationToken).ConfigureAwait(false);
        var features = new List<FeatureProfile>(n);
        for (var i = 0; i < n; i++)
        {
            features.Add(kinds[i] == "numeric"
                ? new FeatureProfile(names[i], FeatureKind.Numeric, new NumericProfile(count[i], missing[i], mean[i], variance[i], min[i], max[i], edges[i], binCounts[i], below[i], above[i], sketchValues[i], sketchWeights[i]), null, unique[i])
                : new FeatureProfile(names[i], FeatureKind.Categorical, null, new CategoricalProfile(categories[i], categoryCounts[i], other[i], missing[i]), unique[i]));
        }

        return features;
    }

    private static async Task<string[]> StringsAsync(ParquetRowGroupReader group, DataField field, int n)
    {
        var values = new string?[n];
        await group.ReadAsync(field, values.AsMemory()).ConfigureAwait(false);
        return values.Select(v => v ?? "").ToArray();
    }

    private static async Task<T[]> ValuesAsync<T>(ParquetRowGroupReader group, DataField field, int n, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[n];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }
}
