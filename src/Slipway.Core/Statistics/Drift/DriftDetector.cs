using System.Globalization;
using System.Runtime.ExceptionServices;

namespace Slipway.Core.Statistics.Drift;

/// <summary>
/// Exact drift tests on raw columns, as Evidently's data drift preset runs them: per feature, missing and infinite
/// values dropped, the test chosen automatically (or overridden), the score held against its threshold, and the
/// dataset drifted when the share of drifted features reaches <see cref="DriftOptions.DriftShare"/>.
/// </summary>
public static class DriftDetector
{
    /// <summary>More distinct reference values than this bin numbers by Sturges for Jensen–Shannon and PSI (Evidently).</summary>
    private const int BinnedDistinctValues = 20;

    /// <summary>
    /// Compares every current column with the reference column of the same name. Reference columns absent from the
    /// current data are not compared. Features are tested in parallel.
    /// </summary>
    /// <param name="reference">The reference columns (training or validation data).</param>
    /// <param name="current">The current columns; each must exist in the reference with the same kind.</param>
    /// <param name="options">Methods, thresholds and the dataset drift share; <see cref="DriftOptions.Default"/> for Evidently's defaults.</param>
    /// <param name="cancellationToken">Stops between features.</param>
    /// <returns>The report, features most drifted first.</returns>
    /// <exception cref="ArgumentException">A current feature is missing from the reference, has another kind, has no
    /// non-missing value on one side, appears twice, is overridden with a test its kind does not allow, or an override
    /// names a feature that is not compared.</exception>
    public static DriftReport Detect(IReadOnlyList<DriftColumn> reference, IReadOnlyList<DriftColumn> current, DriftOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        if (options.DriftShare is <= 0 or > 1 || double.IsNaN(options.DriftShare))
        {
            throw new ArgumentException($"The drift share must lie in (0, 1], got {options.DriftShare}.", nameof(options));
        }

        var byName = new Dictionary<string, DriftColumn>(reference.Count, StringComparer.Ordinal);
        foreach (var column in reference)
        {
            ArgumentNullException.ThrowIfNull(column, nameof(reference));
            if (!byName.TryAdd(column.Name, column))
            {
                throw new ArgumentException($"Feature '{column.Name}' appears twice in the reference.", nameof(reference));
            }
        }

        var pairs = new (DriftColumn Reference, DriftColumn Current)[current.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < current.Count; i++)
        {
            var column = current[i] ?? throw new ArgumentNullException(nameof(current));
            if (!seen.Add(column.Name))
            {
                throw new ArgumentException($"Feature '{column.Name}' appears twice in the current data.", nameof(current));
            }

            if (!byName.TryGetValue(column.Name, out var match))
            {
                throw new ArgumentException($"Feature '{column.Name}' is not in the reference.", nameof(current));
            }

            if (match.Kind != column.Kind)
            {
                throw new ArgumentException($"Feature '{column.Name}' is {Describe(match.Kind)} in the reference but {Describe(column.Kind)} in the current data.", nameof(current));
            }

            pairs[i] = (match, column);
        }

        foreach (var name in options.Features.Keys)
        {
            if (!seen.Contains(name))
            {
                throw new ArgumentException($"The override for feature '{name}' names no compared feature.", nameof(options));
            }
        }

        var results = new FeatureDrift[pairs.Length];
        try
        {
            Parallel.For(
                0,
                pairs.Length,
                new ParallelOptions { CancellationToken = cancellationToken },
                i => results[i] = DetectFeature(pairs[i].Reference, pairs[i].Current, options));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers see the feature's own error (which names it), not the parallel loop's wrapper.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }

        long referenceRows = reference.Count == 0 ? 0 : reference[0].Length;
        long currentRows = current.Count == 0 ? 0 : current[0].Length;
        return DriftReport.BySeverity(results, referenceRows, currentRows, options.DriftShare);
    }

    /// <summary>Compares one feature's reference and current values (see <see cref="Detect"/>).</summary>
    /// <param name="reference">The reference column.</param>
    /// <param name="current">The current column, of the same kind.</param>
    /// <param name="options">Methods and thresholds; the override under the current column's name applies.</param>
    public static FeatureDrift DetectFeature(DriftColumn reference, DriftColumn current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        if (reference.Kind != current.Kind)
        {
            throw new ArgumentException($"Feature '{current.Name}' is {Describe(reference.Kind)} in the reference but {Describe(current.Kind)} in the current data.", nameof(current));
        }

        options.Features.TryGetValue(current.Name, out var feature);
        return current.Kind == FeatureKind.Numeric
            ? DetectNumeric(current.Name, reference.Numbers!, current.Numbers!, feature, options)
            : DetectCategorical(current.Name, reference.Categories!, current.Categories!, feature, options);
    }

    private static FeatureDrift DetectNumeric(string name, double[] referenceValues, double[] currentValues, FeatureDriftOverride? feature, DriftOptions options)
    {
        var reference = DoubleRadixSort.SortFinite(referenceValues);
        var current = DoubleRadixSort.SortFinite(currentValues);
        RequireValues(name, reference.Length, current.Length);

        var method = feature?.Method ?? options.Method ?? DriftMethods.Choose(FeatureKind.Numeric, reference.Length, CountDistinct(reference, current, 6));
        var threshold = DriftOptions.ThresholdFor(options, name, method);
        var score = method switch
        {
            DriftMethod.Ks => DriftStatistics.KolmogorovSmirnov(reference, current).PValue,
            DriftMethod.Wasserstein => DriftStatistics.WassersteinNormed(reference, current),
            DriftMethod.ChiSquare => ChiSquare(CountValues(reference, current)),
            DriftMethod.ZTest => ZTest(CountValues(reference, current)),
            DriftMethod.JensenShannon => Binned(reference, current, DriftStatistics.JensenShannon),
            DriftMethod.Psi => Binned(reference, current, DriftStatistics.Psi),
            _ => throw new ArgumentOutOfRangeException(nameof(feature), method, null),
        };

        return new FeatureDrift(
            name,
            FeatureKind.Numeric,
            method,
            score,
            threshold,
            DriftMethods.IsDrift(method, score, threshold),
            reference.Length,
            current.Length,
            NumericHistogram(reference, current));
    }

    private static FeatureDrift DetectCategorical(string name, string?[] referenceValues, string?[] currentValues, FeatureDriftOverride? feature, DriftOptions options)
    {
        // Categories in ordinal order (Python's order for strings), each with its count on both sides.
        var tallies = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var referenceCount = Tally(referenceValues, tallies, 0);
        var currentCount = Tally(currentValues, tallies, 1);
        RequireValues(name, referenceCount, currentCount);
        var categories = new string[tallies.Count];
        tallies.Keys.CopyTo(categories, 0);
        Array.Sort(categories, StringComparer.Ordinal);
        var referenceBins = new double[categories.Length];
        var currentBins = new double[categories.Length];
        for (var i = 0; i < categories.Length; i++)
        {
            var tally = tallies[categories[i]];
            referenceBins[i] = tally[0];
            currentBins[i] = tally[1];
        }

        var binned = new ValueCounts(referenceBins, currentBins);
        var method = feature?.Method ?? options.Method ?? DriftMethods.Choose(FeatureKind.Categorical, referenceCount, categories.Length);
        if (method is DriftMethod.Ks or DriftMethod.Wasserstein)
        {
            throw new ArgumentException($"Feature '{name}' holds categories: the {DriftMethods.Name(method)} test needs numbers.", nameof(feature));
        }

        var threshold = DriftOptions.ThresholdFor(options, name, method);
        var score = method switch
        {
            DriftMethod.ChiSquare => ChiSquare(binned),
            DriftMethod.ZTest => ZTest(binned),
            DriftMethod.JensenShannon => DriftStatistics.JensenShannon(referenceBins, currentBins),
            DriftMethod.Psi => DriftStatistics.Psi(referenceBins, currentBins),
            _ => throw new ArgumentOutOfRangeException(nameof(feature), method, null),
        };

        return new FeatureDrift(
            name,
            FeatureKind.Categorical,
            method,
            score,
            threshold,
            DriftMethods.IsDrift(method, score, threshold),
            referenceCount,
            currentCount,
            DriftHistogram.FromCounts(categories, referenceBins, currentBins));
    }

    private static int Tally(string?[] values, Dictionary<string, int[]> tallies, int side)
    {
        var count = 0;
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            count++;
            if (!tallies.TryGetValue(value, out var tally))
            {
                tally = new int[2];
                tallies[value] = tally;
            }

            tally[side]++;
        }

        return count;
    }

    private static void RequireValues(string name, long reference, long current)
    {
        if (reference == 0)
        {
            throw new ArgumentException($"Feature '{name}' has no non-missing value in the reference.", nameof(reference));
        }

        if (current == 0)
        {
            throw new ArgumentException($"Feature '{name}' has no non-missing value in the current data.", nameof(current));
        }
    }

    private static string Describe(FeatureKind kind) => kind == FeatureKind.Numeric ? "numeric" : "categorical";

    /// <summary>Distinct values of two sorted arrays together, counting up to <paramref name="limit"/>.</summary>
    private static int CountDistinct(double[] a, double[] b, int limit)
    {
        int i = 0, j = 0, distinct = 0;
        while ((i < a.Length || j < b.Length) && distinct < limit)
        {
            var next = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            distinct++;
            i = DriftStatistics.UpperBound(a.AsSpan(i), next) + i;
            j = DriftStatistics.UpperBound(b.AsSpan(j), next) + j;
        }

        return distinct;
    }

    /// <summary>Each distinct value of both sorted arrays with its count on each side, in ascending order.</summary>
    private static ValueCounts CountValues(double[] a, double[] b)
    {
        var referenceBins = new List<double>();
        var currentBins = new List<double>();
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var next = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            var nextI = DriftStatistics.UpperBound(a.AsSpan(i), next) + i;
            var nextJ = DriftStatistics.UpperBound(b.AsSpan(j), next) + j;
            referenceBins.Add(nextI - i);
            currentBins.Add(nextJ - j);
            i = nextI;
            j = nextJ;
        }

        return new ValueCounts(referenceBins.ToArray(), currentBins.ToArray());
    }

    private static double ChiSquare(ValueCounts counts) => DriftStatistics.ChiSquarePValue(counts.Reference, counts.Current);

    private static double ZTest(ValueCounts counts)
    {
        // Evidently tests the share of the first category in sorted order against all others.
        long referenceTotal = 0, currentTotal = 0;
        for (var i = 0; i < counts.Reference.Length; i++)
        {
            referenceTotal += (long)counts.Reference[i];
            currentTotal += (long)counts.Current[i];
        }

        return DriftStatistics.ZTestPValue(referenceTotal, (long)counts.Reference[0], currentTotal, (long)counts.Current[0]);
    }

    private static double Binned(double[] reference, double[] current, BinnedStatistic statistic)
    {
        // Evidently bins numbers by Sturges over both sides when the reference has more than 20 distinct values,
        // and otherwise treats each distinct value as a category.
        if (CountDistinct(reference, [], BinnedDistinctValues + 1) > BinnedDistinctValues)
        {
            var edges = CombinedEdges(reference, current);
            return statistic(DriftStatistics.HistogramCounts(reference, edges), DriftStatistics.HistogramCounts(current, edges));
        }

        var counts = CountValues(reference, current);
        return statistic(counts.Reference, counts.Current);
    }

    private static double[] CombinedEdges(double[] reference, double[] current) =>
        DriftStatistics.SturgesEdges(Math.Min(reference[0], current[0]), Math.Max(reference[^1], current[^1]), (long)reference.Length + current.Length);

    private static DriftHistogram NumericHistogram(double[] reference, double[] current)
    {
        var edges = CombinedEdges(reference, current);
        var labels = new string[edges.Length - 1];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = DriftHistogram.RangeLabel(edges[i], edges[i + 1], last: i == labels.Length - 1);
        }

        return DriftHistogram.FromCounts(labels, DriftStatistics.HistogramCounts(reference, edges), DriftStatistics.HistogramCounts(current, edges));
    }

    private delegate double BinnedStatistic(ReadOnlySpan<double> reference, ReadOnlySpan<double> current);

    private readonly record struct ValueCounts(double[] Reference, double[] Current);
}
