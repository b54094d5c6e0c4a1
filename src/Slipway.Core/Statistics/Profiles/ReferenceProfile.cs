using Slipway.Core.Statistics.Drift;

namespace Slipway.Core.Statistics.Profiles;

/// <summary>
/// Builds the reference profile of a model version from its raw reference data: the profile that live traffic is
/// binned against (its numeric bin edges) and compared with.
/// </summary>
public static class ReferenceProfile
{
    /// <summary>The reference sketches' default accuracy parameter: 1,024 (exact up to 1,023 values, about 0.25% rank error above).</summary>
    public const int ReferenceSketchK = 1024;

    /// <summary>
    /// The profile of <paramref name="columns"/>: numeric features get Sturges bin edges over their own non-missing
    /// values (numpy's <c>histogram_bin_edges(values, "sturges")</c>; NaN and infinities are missing, as Evidently drops them), every feature its exact unique count, and the rows
    /// count missing values too (Evidently's reference size).
    /// </summary>
    /// <param name="columns">The reference columns; names unique.</param>
    /// <param name="start">The profile's start (for example when the reference was recorded); the default when unknown.</param>
    /// <param name="end">The profile's end; the default when unknown.</param>
    /// <param name="categoryCap">The most distinct categories kept per categorical feature (1,000 by default).</param>
    /// <param name="sketchK">
    /// The quantile sketches' accuracy parameter: <see cref="ReferenceSketchK"/> by default, so that references of up
    /// to 1,023 values (where Evidently picks Kolmogorov–Smirnov) keep every value and profile drift tests them exactly.
    /// </param>
    public static DatasetProfile Build(
        IReadOnlyList<DriftColumn> columns,
        DateTimeOffset start = default,
        DateTimeOffset end = default,
        int categoryCap = CategoricalProfileBuilder.DefaultCap,
        int sketchK = ReferenceSketchK)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var features = new FeatureProfile[columns.Count];
        long rows = 0;
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            ArgumentNullException.ThrowIfNull(column, nameof(columns));
            if (!names.Add(column.Name))
            {
                throw new ArgumentException($"Column '{column.Name}' appears twice.", nameof(columns));
            }

            rows = Math.Max(rows, column.Length);
            features[i] = column.Kind == FeatureKind.Numeric
                ? BuildNumeric(column.Name, column.Numbers!, sketchK)
                : BuildCategorical(column.Name, column.Categories!, categoryCap);
        }

        return new DatasetProfile(start, end, rows, features);
    }

    /// <summary>
    /// Sturges bin edges as numpy computes them: over the n non-missing values, width = (max − min) / (log2(n) + 1),
    /// ceil((max − min) / width) equal bins from min to max; one bin from min − 0.5 to max + 0.5 when all values are equal.
    /// Empty when there are no values.
    /// </summary>
    public static double[] SturgesEdges(ReadOnlySpan<double> values)
    {
        long n = 0;
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                continue;
            }

            n++;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        if (n == 0)
        {
            return [];
        }

        return DriftStatistics.SturgesEdges(min, max, n);
    }

    private static FeatureProfile BuildNumeric(string name, double[] values, int sketchK)
    {
        var edges = SturgesEdges(values);
        var builder = new NumericProfileBuilder(edges.Length == 0 ? null : edges, sketchK);
        builder.Add(values);
        var unique = new HashSet<double>();
        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                // -0.0 and 0.0 are one value, as numpy's unique has them.
                unique.Add(value == 0 ? 0.0 : value);
            }
        }

        return new FeatureProfile(name, FeatureKind.Numeric, builder.ToProfile(), null, unique.Count);
    }

    private static FeatureProfile BuildCategorical(string name, string?[] values, int categoryCap)
    {
        var builder = new CategoricalProfileBuilder(categoryCap);
        builder.Add(values);
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (value is not null)
            {
                unique.Add(value);
            }
        }

        return new FeatureProfile(name, FeatureKind.Categorical, null, builder.ToProfile(), unique.Count);
    }
}
