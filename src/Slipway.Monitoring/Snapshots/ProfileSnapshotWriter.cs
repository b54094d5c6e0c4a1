using System.Globalization;
using Parquet;
using Parquet.Schema;
using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;

namespace Slipway.Monitoring.Snapshots;

/// <summary>
/// Writes a profile snapshot: one row per feature with readable columns (<c>feature</c>, <c>kind</c>, <c>count</c>,
/// <c>missing</c>, <c>mean</c>, <c>variance</c> (population), <c>min</c>, <c>max</c>, quantiles <c>p01</c> to
/// <c>p99</c> from the sketch, <c>histogram_edges</c> and <c>histogram_counts</c> (lists; on the reference's bins),
/// <c>below</c>/<c>above</c> (values outside the edges), <c>categories</c> and <c>category_counts</c> (lists, most
/// frequent first), <c>other</c>) plus <c>sketch_values</c>/<c>sketch_weights</c> to rebuild the profile exactly.
/// Numeric statistics of categorical features (and of features without values) are NaN. The period, rows, model and
/// version are in the file's key-value metadata (<c>slipway.*</c>). Files are written to a temporary name and moved
/// over the old one, so readers never see half a snapshot.
/// </summary>
internal static class ProfileSnapshotWriter
{
    internal static readonly double[] Quantiles = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
    internal static readonly string[] QuantileColumns = ["p01", "p05", "p25", "p50", "p75", "p95", "p99"];

    internal static readonly DataField Feature = new("feature", typeof(string), isNullable: false);
    internal static readonly DataField Kind = new("kind", typeof(string), isNullable: false);
    internal static readonly DataField Count = new("count", typeof(long), isNullable: false);
    internal static readonly DataField Missing = new("missing", typeof(long), isNullable: false);
    internal static readonly DataField Mean = new("mean", typeof(double), isNullable: false);
    internal static readonly DataField Variance = new("variance", typeof(double), isNullable: false);
    internal static readonly DataField Min = new("min", typeof(double), isNullable: false);
    internal static readonly DataField Max = new("max", typeof(double), isNullable: false);
    internal static readonly DataField[] QuantileFields = [.. QuantileColumns.Select(n => new DataField(n, typeof(double), isNullable: false))];
    internal static readonly ListField HistogramEdges = ParquetLists.Field<double>("histogram_edges");
    internal static readonly ListField HistogramCounts = ParquetLists.Field<long>("histogram_counts");
    internal static readonly DataField Below = new("below", typeof(long), isNullable: false);
    internal static readonly DataField Above = new("above", typeof(long), isNullable: false);
    internal static readonly ListField Categories = ParquetLists.Field<string>("categories");
    internal static readonly ListField CategoryCounts = ParquetLists.Field<long>("category_counts");
    internal static readonly DataField Other = new("other", typeof(long), isNullable: false);
    internal static readonly DataField UniqueCount = new("unique_count", typeof(long), isNullable: true);
    internal static readonly ListField SketchValues = ParquetLists.Field<double>("sketch_values");
    internal static readonly ListField SketchWeights = ParquetLists.Field<long>("sketch_weights");

    internal static readonly ParquetSchema Schema = new(
        [Feature, Kind, Count, Missing, Mean, Variance, Min, Max, .. QuantileFields, HistogramEdges, HistogramCounts, Below, Above,
         Categories, CategoryCounts, Other, UniqueCount, SketchValues, SketchWeights]);

    public static async Task WriteAsync(string path, string model, string version, bool daily, bool partial, DatasetProfile profile, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        var features = profile.Features;
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        await using (stream.ConfigureAwait(false))
        {
            var writer = await ParquetWriter.CreateAsync(Schema, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                writer.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["slipway.model"] = model,
                    ["slipway.version"] = version,
                    ["slipway.start"] = profile.Start.ToString("O", CultureInfo.InvariantCulture),
                    ["slipway.end"] = profile.End.ToString("O", CultureInfo.InvariantCulture),
                    ["slipway.rows"] = profile.Rows.ToString(CultureInfo.InvariantCulture),
                    ["slipway.period"] = daily ? "day" : "hour",
                    ["slipway.partial"] = partial ? "true" : "false",
                };
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(Feature, features.Select(f => f.Name).ToArray(), null).ConfigureAwait(false);
                await group.WriteAsync(Kind, features.Select(f => f.Kind == FeatureKind.Numeric ? "numeric" : "categorical").ToArray(), null).ConfigureAwait(false);
                await WriteAsync(group, Count, features.Select(f => f.Count), cancellationToken).ConfigureAwait(false);
                await WriteAsync(group, Missing, features.Select(f => f.Missing), cancellationToken).ConfigureAwait(false);
                await WriteAsync(group, Mean, features.Select(f => f.Numeric?.Mean ?? double.NaN), cancellationToken).ConfigureAwait(false);
                await WriteAsync(group, Variance, features.Select(f => f.Numeric?.Variance ?? double.NaN), cancellationToken).ConfigureAwait(false);
                await WriteAsync(group, Min, features.Select(f => f.Numeric?.Min ?? double.NaN), cancellationToken).ConfigureAwait(false);
                await WriteAsync(group, Max, features.Select(f => f.Numeric?.Max ?? double.NaN), cancellationToken).ConfigureAwait(false);
                var sketches = features.Select(f => f.Numeric is { Count: > 0 } numeric ? numeric.ToSketch() : null).ToArray();
                for (var q = 0; q < Quantiles.Length; q++)
                {
                    var quantile = Quantiles[q];
                    await WriteAsync(group, QuantileFields[q], sketches.Select(s => s?.Quantile(quantile) ?? double.NaN), cancellationToken).ConfigureAwait(false);
                }

                await ParquetLists.WriteAsync(group, HistogramEdges, features.Select(f => f.Numeric?.BinEdges ?? []).ToArray(), cancellationToken).ConfigureAwait(false);
                await ParquetLists.WriteAsync(group, HistogramCounts, features.Select(f => f.Numeric?.BinCounts ?? []).ToArray(), cancellationToken).ConfigureAwait(false);
                await WriteAsync(group, Below, features.Select(f => f.Numeric?.Below ?? 0), cancellationToken).ConfigureAwait(false);
                await WriteAsync(group, Above, features.Select(f => f.Numeric?.Above ?? 0), cancellationToken).ConfigureAwait(false);
                await ParquetLists.WriteAsync(
                    group,
                    Categories,
                    features.Select(f => (IReadOnlyList<ReadOnlyMemory<char>>)(f.Categorical?.Categories.Select(c => c.AsMemory()).ToArray() ?? [])).ToArray(),
                    cancellationToken).ConfigureAwait(false);
                await ParquetLists.WriteAsync(group, CategoryCounts, features.Select(f => f.Categorical?.Counts ?? []).ToArray(), cancellationToken).ConfigureAwait(false);
                await WriteAsync(group, Other, features.Select(f => f.Categorical?.Other ?? 0), cancellationToken).ConfigureAwait(false);
                await group.WriteAsync(UniqueCount, new ReadOnlyMemory<long?>(features.Select(f => f.UniqueCount).ToArray()), null, null, cancellationToken).ConfigureAwait(false);
                await ParquetLists.WriteAsync(group, SketchValues, features.Select(f => f.Numeric?.SketchValues ?? []).ToArray(), cancellationToken).ConfigureAwait(false);
                await ParquetLists.WriteAsync(group, SketchWeights, features.Select(f => f.Numeric?.SketchWeights ?? []).ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static Task WriteAsync<T>(ParquetRowGroupWriter group, DataField field, IEnumerable<T> values, CancellationToken cancellationToken)
        where T : struct =>
        group.WriteAsync(field, new ReadOnlyMemory<T>(values.ToArray()), null, null, cancellationToken);
}
