using System.Globalization;
using Slipway.Core.Statistics.Drift;

namespace Slipway.Core.Statistics.Profiles;

/// <summary>
/// Drift computed from profiles instead of raw values: a window of traffic (merged hourly profiles) against the
/// reference profile, with Evidently's tests, defaults and automatic choice, without rescanning logged data.
/// </summary>
/// <remarks>
/// <para>Where the result is an approximation of Evidently's on the raw values:</para>
/// <list type="bullet">
/// <item>Kolmogorov–Smirnov and Wasserstein use the two quantile sketches' weighted items instead of the values: the
/// statistic and the distance are off by up to the sketches' rank error (about 1% of the values each with the default
/// k = 200; reference profiles keep up to 1,023 values exactly). The Wasserstein norm (the reference's standard
/// deviation) and the KS p-value's sample sizes are exact.</item>
/// <item>Jensen–Shannon and PSI bin numbers on the reference's Sturges edges, with values below and above them as two
/// more bins when either side has any; Evidently bins with Sturges edges over reference and current together.</item>
/// <item>Chi-square and z on numbers (chosen for at most 5 distinct reference values) count per reference bin rather
/// than per distinct value, and the z-test's category is the lowest non-empty bin; Sturges bins are narrower than
/// the gaps between a handful of distinct values in all but contrived data, so the counts usually coincide.</item>
/// <item>Kolmogorov–Smirnov on two large samples: the p-value turns on differences of the empirical distribution
/// functions smaller than the sketches' rank error once both sides hold more than a few thousand values, so it is
/// reliable where Evidently picks the test (at most 1,000 reference values, kept exactly) and not as an override on two
/// large samples; Wasserstein (Evidently's choice there) is not affected.</item>
/// <item>Categories beyond a profile's cap are one more category, "other".</item>
/// <item>When a profile carries no histogram on the reference's edges, its counts come from its sketch items.</item>
/// <item>The automatic choice counts the distinct values of both sides together as Evidently does: for numbers, the
/// distinct items of both sketches (at least the reference's exact unique count), exact while the sketches are and
/// far above the thresholds that matter (2 and 5) once they are not; for categories, the kept categories plus
/// "other".</item>
/// </list>
/// </remarks>
public static class ProfileDrift
{
    /// <summary>The bin label of categories beyond the cap.</summary>
    public const string OtherCategory = "other";

    /// <summary>
    /// Compares every reference feature that <paramref name="current"/> also has. Features with no non-missing value on
    /// either side are left out (there is nothing to test); a current feature the reference lacks is ignored.
    /// </summary>
    /// <param name="reference">The reference profile (from <see cref="ReferenceProfile.Build"/>).</param>
    /// <param name="current">The current window's profile.</param>
    /// <param name="options">Methods, thresholds and the dataset drift share (Evidently's defaults when <see cref="DriftOptions.Default"/>).</param>
    /// <exception cref="ArgumentException">A feature is numeric on one side and categorical on the other.</exception>
    public static DriftReport Compare(DatasetProfile reference, DatasetProfile current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<FeatureDrift>(reference.Features.Count);
        foreach (var referenceFeature in reference.Features)
        {
            var currentFeature = current.Find(referenceFeature.Name);
            if (currentFeature is null)
            {
                continue;
            }

            if (currentFeature.Kind != referenceFeature.Kind)
            {
                throw new ArgumentException(
                    $"Feature '{referenceFeature.Name}' is {referenceFeature.Kind} in the reference but {currentFeature.Kind} in the current profile.",
                    nameof(current));
            }

            if (referenceFeature.Count == 0 || currentFeature.Count == 0)
            {
                continue;
            }

            results.Add(CompareFeature(referenceFeature, currentFeature, options));
        }

        return DriftReport.BySeverity(results, reference.Rows, current.Rows, options.DriftShare);
    }

    /// <summary>Compares one feature present on both sides with at least one value each.</summary>
    /// <param name="reference">The reference feature profile.</param>
    /// <param name="current">The current feature profile (same kind).</param>
    /// <param name="options">Methods and thresholds.</param>
    public static FeatureDrift CompareFeature(FeatureProfile reference, FeatureProfile current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        if (reference.Kind != current.Kind)
        {
            throw new ArgumentException($"Feature '{reference.Name}' is {reference.Kind} in the reference but {current.Kind} here.", nameof(current));
        }

        if (reference.Count == 0 || current.Count == 0)
        {
            throw new ArgumentException($"Feature '{reference.Name}' has no values on one side.", reference.Count == 0 ? nameof(reference) : nameof(current));
        }

        options.Features.TryGetValue(reference.Name, out var feature);
        // Evidently chooses by the reference's non-missing values and the distinct values of both sides together.
        var method = feature?.Method ?? options.Method
            ?? DriftMethods.Choose(reference.Kind, reference.Count, DistinctValues(reference, current));
        if (reference.Kind == FeatureKind.Categorical && method is DriftMethod.Ks or DriftMethod.Wasserstein)
        {
            throw new ArgumentException($"Feature '{reference.Name}' holds categories: the {DriftMethods.Name(method)} test needs numbers.", nameof(options));
        }

        var threshold = DriftOptions.ThresholdFor(options, reference.Name, method);

        var bins = reference.Kind == FeatureKind.Numeric
            ? NumericBins(reference.Numeric!, current.Numeric!)
            : CategoricalBins(reference.Categorical!, current.Categorical!);
        var score = method switch
        {
            DriftMethod.Ks => KolmogorovSmirnov(reference.Numeric!, current.Numeric!),
            DriftMethod.Wasserstein => Wasserstein(reference.Numeric!, current.Numeric!),
            DriftMethod.ChiSquare => ChiSquare(bins),
            DriftMethod.ZTest => ZTest(bins),
            DriftMethod.JensenShannon => DriftStatistics.JensenShannon(bins.Reference, bins.Current),
            DriftMethod.Psi => DriftStatistics.Psi(bins.Reference, bins.Current),
            _ => throw new ArgumentOutOfRangeException(nameof(options), method, "Unknown drift method."),
        };

        return new FeatureDrift(
            reference.Name,
            reference.Kind,
            method,
            score,
            threshold,
            DriftMethods.IsDrift(method, score, threshold),
            reference.Count,
            current.Count,
            DriftHistogram.FromCounts(bins.Labels, bins.Reference, bins.Current));
    }

    private static double KolmogorovSmirnov(NumericProfile reference, NumericProfile current)
    {
        var (referenceValues, referenceWeights) = SketchItems(reference);
        var (currentValues, currentWeights) = SketchItems(current);
        var statistic = DriftStatistics.KolmogorovSmirnovStatistic(referenceValues, referenceWeights, currentValues, currentWeights);
        return DriftStatistics.KolmogorovSmirnovPValue(Math.Clamp(statistic, 0, 1), reference.Count, current.Count);
    }

    private static double Wasserstein(NumericProfile reference, NumericProfile current)
    {
        var (referenceValues, referenceWeights) = SketchItems(reference);
        var (currentValues, currentWeights) = SketchItems(current);
        var distance = DriftStatistics.Wasserstein(referenceValues, referenceWeights, currentValues, currentWeights);
        return distance / DriftStatistics.WassersteinNorm(reference.StandardDeviation);
    }

    private static double ChiSquare(Bins bins)
    {
        // Evidently's categories are the values either side holds: bins empty on both sides are no category (and no
        // degree of freedom).
        var filled = 0;
        for (var i = 0; i < bins.Reference.Length; i++)
        {
            filled += bins.Reference[i] + bins.Current[i] > 0 ? 1 : 0;
        }

        var reference = new double[filled];
        var current = new double[filled];
        var at = 0;
        for (var i = 0; i < bins.Reference.Length; i++)
        {
            if (bins.Reference[i] + bins.Current[i] > 0)
            {
                reference[at] = bins.Reference[i];
                current[at++] = bins.Current[i];
            }
        }

        return DriftStatistics.ChiSquarePValue(reference, current);
    }

    private static double ZTest(Bins bins)
    {
        // Evidently tests the share of the smallest value (in sorted order) of both sides together.
        var first = bins.ZCategory;
        long referenceTotal = 0, currentTotal = 0;
        for (var i = 0; i < bins.Reference.Length; i++)
        {
            referenceTotal += (long)bins.Reference[i];
            currentTotal += (long)bins.Current[i];
        }

        return DriftStatistics.ZTestPValue(referenceTotal, (long)bins.Reference[first], currentTotal, (long)bins.Current[first]);
    }

    private static Bins NumericBins(NumericProfile reference, NumericProfile current)
    {
        double[] edges;
        double[] referenceCounts;
        double below, above;
        if (reference.BinEdges.Count >= 2)
        {
            edges = ToArray(reference.BinEdges);
            referenceCounts = new double[edges.Length - 1];
            for (var i = 0; i < referenceCounts.Length; i++)
            {
                referenceCounts[i] = reference.BinCounts[i];
            }

            below = reference.Below;
            above = reference.Above;
        }
        else
        {
            // A reference without a histogram (profiled with no edges): Sturges edges over its exact range and count.
            edges = DriftStatistics.SturgesEdges(reference.Min, reference.Max, reference.Count);
            (referenceCounts, below, above) = SketchHistogram(reference, edges);
        }

        double[] currentCounts;
        double currentBelow, currentAbove;
        if (SameEdges(current.BinEdges, edges))
        {
            currentCounts = new double[edges.Length - 1];
            for (var i = 0; i < currentCounts.Length; i++)
            {
                currentCounts[i] = current.BinCounts[i];
            }

            currentBelow = current.Below;
            currentAbove = current.Above;
        }
        else
        {
            (currentCounts, currentBelow, currentAbove) = SketchHistogram(current, edges);
        }

        // Values outside the reference's edges are bins of their own, only when some side has any.
        var withBelow = below + currentBelow > 0;
        var withAbove = above + currentAbove > 0;
        var count = currentCounts.Length + (withBelow ? 1 : 0) + (withAbove ? 1 : 0);
        var labels = new string[count];
        var referenceBins = new double[count];
        var currentBins = new double[count];
        var at = 0;
        if (withBelow)
        {
            labels[at] = "< " + Format(edges[0]);
            referenceBins[at] = below;
            currentBins[at++] = currentBelow;
        }

        for (var i = 0; i < currentCounts.Length; i++)
        {
            labels[at] = DriftHistogram.RangeLabel(edges[i], edges[i + 1], last: i == currentCounts.Length - 1);
            referenceBins[at] = referenceCounts[i];
            currentBins[at++] = currentCounts[i];
        }

        if (withAbove)
        {
            labels[at] = "> " + Format(edges[^1]);
            referenceBins[at] = above;
            currentBins[at] = currentAbove;
        }

        // The smallest value of both sides lies in the first bin that either side fills.
        var first = 0;
        while (first < count - 1 && referenceBins[first] + currentBins[first] == 0)
        {
            first++;
        }

        return new Bins(labels, referenceBins, currentBins, first);
    }

    private static Bins CategoricalBins(CategoricalProfile reference, CategoricalProfile current)
    {
        // The union of both sides' categories in ordinal order (Evidently sorts the keys), "other" last when present.
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var category in reference.Categories)
        {
            names.Add(category);
        }

        foreach (var category in current.Categories)
        {
            names.Add(category);
        }

        var withOther = reference.Other + current.Other > 0;
        var count = names.Count + (withOther ? 1 : 0);
        var labels = new string[count];
        var referenceBins = new double[count];
        var currentBins = new double[count];
        var at = 0;
        foreach (var name in names)
        {
            labels[at] = name;
            referenceBins[at] = reference.CountOf(name);
            currentBins[at++] = current.CountOf(name);
        }

        if (withOther)
        {
            labels[at] = OtherCategory;
            referenceBins[at] = reference.Other;
            currentBins[at] = current.Other;
        }

        return new Bins(labels, referenceBins, currentBins, 0);
    }

    private static (double[] Counts, double Below, double Above) SketchHistogram(NumericProfile profile, double[] edges)
    {
        var counts = new double[edges.Length - 1];
        double below = 0, above = 0;
        for (var i = 0; i < profile.SketchValues.Count; i++)
        {
            var value = profile.SketchValues[i];
            double weight = profile.SketchWeights[i];
            if (value < edges[0])
            {
                below += weight;
            }
            else if (value > edges[^1])
            {
                above += weight;
            }
            else
            {
                // numpy's rule: the last edge at or below the value, the last bin closed on the right.
                var bin = DriftStatistics.UpperBound(edges, value) - 1;
                counts[Math.Min(bin, counts.Length - 1)] += weight;
            }
        }

        return (counts, below, above);
    }

    private static (double[] Values, double[] Weights) SketchItems(NumericProfile profile)
    {
        var values = new double[profile.SketchValues.Count];
        var weights = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = profile.SketchValues[i];
            weights[i] = profile.SketchWeights[i];
        }

        // Stored items are sorted by ToItems; a hand-built profile may not be.
        if (!IsSorted(values))
        {
            Array.Sort(values, weights);
        }

        return (values, weights);
    }

    private static long DistinctValues(FeatureProfile reference, FeatureProfile current)
    {
        if (reference.Kind == FeatureKind.Categorical)
        {
            var names = new HashSet<string>(reference.Categorical!.Categories, StringComparer.Ordinal);
            names.UnionWith(current.Categorical!.Categories);
            return names.Count + (reference.Categorical.Other + current.Categorical.Other > 0 ? 1 : 0);
        }

        // Distinct sketch items of both sides: every distinct value while the sketches are exact, and far above the
        // thresholds that matter (2 and 5) once they are not; never below the reference's exact count.
        var values = new HashSet<double>();
        AddDistinct(values, reference.Numeric!.SketchValues);
        AddDistinct(values, current.Numeric!.SketchValues);
        return Math.Max(values.Count, reference.UniqueCount ?? 0);
    }

    private static void AddDistinct(HashSet<double> distinct, IReadOnlyList<double> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            distinct.Add(values[i] == 0 ? 0.0 : values[i]);
        }
    }

    private static bool SameEdges(IReadOnlyList<double> edges, double[] expected)
    {
        if (edges.Count != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (edges[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSorted(double[] values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] < values[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private static double[] ToArray(IReadOnlyList<double> values)
    {
        var array = new double[values.Count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = values[i];
        }

        return array;
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Both sides' counts over common bins; <see cref="ZCategory"/> is the bin the z-test takes.</summary>
    private sealed record Bins(string[] Labels, double[] Reference, double[] Current, int ZCategory);
}
