using MathNet.Numerics;
using Slipway.Core.Statistics.Distributions;

namespace Slipway.Core.Statistics.Drift;

/// <summary>
/// The drift statistics as Evidently computes them (on top of scipy and numpy), so that scores are comparable with
/// Evidently's reports: chi-square, two-proportion z, Kolmogorov–Smirnov, normed Wasserstein, Jensen–Shannon, PSI and
/// Sturges binning. Inputs are counts per category or bin, or sorted non-missing values.
/// </summary>
public static class DriftStatistics
{
    /// <summary>The smallest standard deviation Evidently divides a Wasserstein distance by.</summary>
    public const double MinimumWassersteinNorm = 0.001;

    /// <summary>The share Evidently puts into empty bins before computing PSI, unless smaller shares exist.</summary>
    public const double EmptyBinShare = 0.0001;

    /// <summary>
    /// Evidently's chi-square test: the current counts against the reference proportions scaled to the current
    /// total (<c>scipy.stats.chisquare(current, reference × current total / reference total)</c>), with one degree of
    /// freedom less than the number of categories. A category the reference never saw but the current data holds makes
    /// the statistic infinite and the p-value 0, as in scipy.
    /// </summary>
    /// <param name="referenceCounts">Reference count per category (the union of both sides' categories).</param>
    /// <param name="currentCounts">Current count per category, in the same order.</param>
    /// <returns>The p-value; 1 when there is a single category (no degree of freedom).</returns>
    public static double ChiSquarePValue(ReadOnlySpan<double> referenceCounts, ReadOnlySpan<double> currentCounts)
    {
        var currentTotal = Total(currentCounts, referenceCounts, nameof(currentCounts));
        var referenceTotal = Total(referenceCounts, currentCounts, nameof(referenceCounts));
        var scale = currentTotal / referenceTotal;
        var statistic = 0.0;
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            var expected = referenceCounts[i] * scale;
            var difference = currentCounts[i] - expected;
            if (expected == 0)
            {
                if (difference != 0)
                {
                    return 0;
                }

                continue;
            }

            statistic += difference * difference / expected;
        }

        var freedom = referenceCounts.Length - 1;
        return freedom <= 0 ? 1 : ChiSquareSurvival(statistic, freedom);
    }

    /// <summary>
    /// Evidently's two-proportion z-test, two-sided with the pooled proportion: p = 2 (1 − Φ(|z|)). When both sides
    /// hold one and the same value (the pooled proportion is 0 or 1) the p-value is 1.
    /// </summary>
    /// <param name="referenceCount">Non-missing reference values.</param>
    /// <param name="referenceHits">Reference values equal to the tested category (Evidently: the smallest value).</param>
    /// <param name="currentCount">Non-missing current values.</param>
    /// <param name="currentHits">Current values equal to the tested category.</param>
    public static double ZTestPValue(long referenceCount, long referenceHits, long currentCount, long currentHits)
    {
        if (referenceCount <= 0 || currentCount <= 0)
        {
            throw new ArgumentException("Both sides need at least one value.", referenceCount <= 0 ? nameof(referenceCount) : nameof(currentCount));
        }

        if (referenceHits < 0 || referenceHits > referenceCount)
        {
            throw new ArgumentOutOfRangeException(nameof(referenceHits), referenceHits, "Hits must lie between 0 and the count.");
        }

        if (currentHits < 0 || currentHits > currentCount)
        {
            throw new ArgumentOutOfRangeException(nameof(currentHits), currentHits, "Hits must lie between 0 and the count.");
        }

        double n1 = referenceCount;
        double n2 = currentCount;
        var p1 = referenceHits / n1;
        var p2 = currentHits / n2;
        var pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        var variance = pooled * (1 - pooled) * ((1.0 / n1) + (1.0 / n2));
        if (variance <= 0)
        {
            return 1;
        }

        var z = (p1 - p2) / Math.Sqrt(variance);
        return 2 * (1 - NormalCdf(Math.Abs(z)));
    }

    /// <summary>
    /// Evidently's Jensen–Shannon distance on binned counts: the counts become shares of each side's total (no
    /// smoothing of empty bins) and go through <c>scipy.spatial.distance.jensenshannon(reference, current, base=2)</c>,
    /// so the distance lies in [0, 1].
    /// </summary>
    /// <param name="referenceCounts">Reference count per bin or category.</param>
    /// <param name="currentCounts">Current count per bin or category, in the same order.</param>
    public static double JensenShannon(ReadOnlySpan<double> referenceCounts, ReadOnlySpan<double> currentCounts)
    {
        var currentTotal = Total(currentCounts, referenceCounts, nameof(currentCounts));
        var referenceTotal = Total(referenceCounts, currentCounts, nameof(referenceCounts));

        // scipy normalises the shares again; doing it once from the counts gives the same numbers.
        var divergence = 0.0;
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            var p = referenceCounts[i] / referenceTotal;
            var q = currentCounts[i] / currentTotal;
            var m = (p + q) / 2;
            divergence += RelativeEntropy(p, m) + RelativeEntropy(q, m);
        }

        divergence /= Math.Log(2);
        return Math.Sqrt(Math.Max(divergence, 0) / 2);
    }

    /// <summary>
    /// Evidently's population stability index on binned counts: Σ (r − c) ln(r / c) over each side's shares, where a
    /// side's empty bins get the share 0.0001, or its smallest non-zero share / 10⁶ when that is at most 0.0001.
    /// </summary>
    /// <param name="referenceCounts">Reference count per bin or category.</param>
    /// <param name="currentCounts">Current count per bin or category, in the same order.</param>
    public static double Psi(ReadOnlySpan<double> referenceCounts, ReadOnlySpan<double> currentCounts)
    {
        var currentTotal = Total(currentCounts, referenceCounts, nameof(currentCounts));
        var referenceTotal = Total(referenceCounts, currentCounts, nameof(referenceCounts));
        var referenceFill = EmptyShare(referenceCounts, referenceTotal);
        var currentFill = EmptyShare(currentCounts, currentTotal);
        var psi = 0.0;
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            var r = referenceCounts[i] == 0 ? referenceFill : referenceCounts[i] / referenceTotal;
            var c = currentCounts[i] == 0 ? currentFill : currentCounts[i] / currentTotal;
            psi += (r - c) * Math.Log(r / c);
        }

        return psi;
    }

    /// <summary>
    /// The two-sample Kolmogorov–Smirnov test as <c>scipy.stats.ks_2samp(reference, current)</c> computes it (scipy
    /// 1.10, two-sided, method 'auto'): the exact distribution when both samples hold at most 10,000 values (the
    /// statistic is then rounded to a multiple of 1/lcm(n, m), as scipy does), otherwise the one-sample Kolmogorov
    /// distribution with round(n m / (n + m)) values.
    /// </summary>
    /// <param name="sortedReference">The reference's non-missing values, ascending.</param>
    /// <param name="sortedCurrent">The current non-missing values, ascending.</param>
    public static (double Statistic, double PValue) KolmogorovSmirnov(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        if (sortedReference.IsEmpty || sortedCurrent.IsEmpty)
        {
            throw new ArgumentException("Both samples need at least one value.", sortedReference.IsEmpty ? nameof(sortedReference) : nameof(sortedCurrent));
        }

        var statistic = KolmogorovSmirnovDistance(sortedReference, sortedCurrent);
        return KolmogorovSmirnovTest(statistic, sortedReference.Length, sortedCurrent.Length);
    }

    /// <summary>
    /// The two-sided p-value of a two-sample Kolmogorov–Smirnov statistic, chosen as <see cref="KolmogorovSmirnov"/>
    /// chooses it (exact up to 10,000 values per side, asymptotic above). Profiles call it with an approximate statistic.
    /// </summary>
    /// <param name="statistic">The largest distance between the two empirical distribution functions, in [0, 1].</param>
    /// <param name="n">Values in the first sample.</param>
    /// <param name="m">Values in the second sample.</param>
    public static double KolmogorovSmirnovPValue(double statistic, long n, long m) => KolmogorovSmirnovTest(statistic, n, m).PValue;

    /// <summary>
    /// The two-sample Kolmogorov–Smirnov statistic of weighted samples: the largest distance between the two weighted
    /// empirical distribution functions (each normalised by its total weight). Quantile sketches call it with their items.
    /// </summary>
    /// <param name="sortedA">The first sample's values, ascending.</param>
    /// <param name="weightsA">Their weights (non-negative, not all zero).</param>
    /// <param name="sortedB">The second sample's values, ascending.</param>
    /// <param name="weightsB">Their weights.</param>
    public static double KolmogorovSmirnovStatistic(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> weightsA, ReadOnlySpan<double> sortedB, ReadOnlySpan<double> weightsB)
    {
        var totalA = WeightTotal(sortedA, weightsA, nameof(weightsA));
        var totalB = WeightTotal(sortedB, weightsB, nameof(weightsB));
        int i = 0, j = 0;
        double cumulativeA = 0, cumulativeB = 0, distance = 0;
        while (i < sortedA.Length || j < sortedB.Length)
        {
            // Step over every value equal to the next smallest one on both sides: the distribution functions are
            // right-continuous, so they are compared after all ties.
            var next = j >= sortedB.Length || (i < sortedA.Length && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            while (i < sortedA.Length && sortedA[i] <= next)
            {
                cumulativeA += weightsA[i++];
            }

            while (j < sortedB.Length && sortedB[j] <= next)
            {
                cumulativeB += weightsB[j++];
            }

            distance = Math.Max(distance, Math.Abs((cumulativeA / totalA) - (cumulativeB / totalB)));
        }

        return distance;
    }

    /// <summary>
    /// The first Wasserstein distance between two samples, as <c>scipy.stats.wasserstein_distance(u, v)</c>: the area
    /// between the two empirical distribution functions, in the values' units.
    /// </summary>
    /// <param name="sortedU">The first sample, ascending, without missing values.</param>
    /// <param name="sortedV">The second sample, ascending.</param>
    public static double Wasserstein(ReadOnlySpan<double> sortedU, ReadOnlySpan<double> sortedV)
    {
        if (sortedU.IsEmpty || sortedV.IsEmpty)
        {
            throw new ArgumentException("Both samples need at least one value.", sortedU.IsEmpty ? nameof(sortedU) : nameof(sortedV));
        }

        double n = sortedU.Length;
        double m = sortedV.Length;
        int i = 0, j = 0;
        var previous = Math.Min(sortedU[0], sortedV[0]);
        var area = 0.0;
        while (i < sortedU.Length || j < sortedV.Length)
        {
            var next = j >= sortedV.Length || (i < sortedU.Length && sortedU[i] <= sortedV[j]) ? sortedU[i] : sortedV[j];

            // Between the previous value and this one both functions are constant: i/n and j/m.
            area += Math.Abs((i / n) - (j / m)) * (next - previous);
            while (i < sortedU.Length && sortedU[i] == next)
            {
                i++;
            }

            while (j < sortedV.Length && sortedV[j] == next)
            {
                j++;
            }

            previous = next;
        }

        return area;
    }

    /// <summary>
    /// The first Wasserstein distance between two weighted samples, as
    /// <c>scipy.stats.wasserstein_distance(u, v, u_weights, v_weights)</c>; each side's weights are normalised by their total.
    /// </summary>
    /// <param name="sortedU">The first sample's values, ascending.</param>
    /// <param name="weightsU">Their weights (non-negative, not all zero).</param>
    /// <param name="sortedV">The second sample's values, ascending.</param>
    /// <param name="weightsV">Their weights.</param>
    public static double Wasserstein(ReadOnlySpan<double> sortedU, ReadOnlySpan<double> weightsU, ReadOnlySpan<double> sortedV, ReadOnlySpan<double> weightsV)
    {
        var totalU = WeightTotal(sortedU, weightsU, nameof(weightsU));
        var totalV = WeightTotal(sortedV, weightsV, nameof(weightsV));
        int i = 0, j = 0;
        double cumulativeU = 0, cumulativeV = 0;
        var previous = Math.Min(sortedU[0], sortedV[0]);
        var area = 0.0;
        while (i < sortedU.Length || j < sortedV.Length)
        {
            var next = j >= sortedV.Length || (i < sortedU.Length && sortedU[i] <= sortedV[j]) ? sortedU[i] : sortedV[j];
            area += Math.Abs((cumulativeU / totalU) - (cumulativeV / totalV)) * (next - previous);
            while (i < sortedU.Length && sortedU[i] == next)
            {
                cumulativeU += weightsU[i++];
            }

            while (j < sortedV.Length && sortedV[j] == next)
            {
                cumulativeV += weightsV[j++];
            }

            previous = next;
        }

        return area;
    }

    /// <summary>
    /// Evidently's normed Wasserstein distance: <see cref="Wasserstein(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    /// divided by the reference's population standard deviation (<c>np.std</c>), at least <see cref="MinimumWassersteinNorm"/>.
    /// </summary>
    /// <param name="sortedReference">The reference's non-missing values, ascending.</param>
    /// <param name="sortedCurrent">The current non-missing values, ascending.</param>
    public static double WassersteinNormed(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent) =>
        Wasserstein(sortedReference, sortedCurrent) / WassersteinNorm(PopulationStandardDeviation(sortedReference));

    /// <summary>The divisor of the normed Wasserstein distance: the standard deviation, at least <see cref="MinimumWassersteinNorm"/>.</summary>
    /// <param name="referenceStandardDeviation">The reference's population standard deviation.</param>
    public static double WassersteinNorm(double referenceStandardDeviation) => Math.Max(referenceStandardDeviation, MinimumWassersteinNorm);

    /// <summary>The population standard deviation (divisor n, as <c>np.std</c>) of the values, by two passes.</summary>
    /// <param name="values">The values, at least one.</param>
    public static double PopulationStandardDeviation(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("At least one value is needed.", nameof(values));
        }

        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        var mean = sum / values.Length;
        var squares = 0.0;
        foreach (var value in values)
        {
            var deviation = value - mean;
            squares += deviation * deviation;
        }

        return Math.Sqrt(squares / values.Length);
    }

    /// <summary>
    /// numpy's Sturges bin edges (<c>np.histogram_bin_edges(x, bins='sturges')</c>) for values spanning
    /// [<paramref name="minimum"/>, <paramref name="maximum"/>]: width = range / (log₂ n + 1), ⌈range / width⌉ equal
    /// bins; a single value v gets one bin [v − 0.5, v + 0.5].
    /// </summary>
    /// <param name="minimum">The smallest value.</param>
    /// <param name="maximum">The largest value.</param>
    /// <param name="count">How many values there are (at least 1).</param>
    public static double[] SturgesEdges(double minimum, double maximum, long count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "At least one value is needed.");
        }

        if (!double.IsFinite(minimum) || !double.IsFinite(maximum) || maximum < minimum)
        {
            throw new ArgumentException($"The range [{minimum}, {maximum}] is not a finite interval.", nameof(minimum));
        }

        var first = minimum;
        var last = maximum;
        if (first == last)
        {
            first -= 0.5;
            last += 0.5;
        }

        var width = (maximum - minimum) / (Math.Log2(count) + 1.0);
        var bins = width != 0 ? (int)Math.Ceiling((last - first) / width) : 1;
        return Linspace(first, last, bins + 1);
    }

    /// <summary>numpy's Sturges bin edges of a sorted sample (see <see cref="SturgesEdges(double, double, long)"/>).</summary>
    /// <param name="sortedValues">The values, ascending, at least one.</param>
    public static double[] SturgesEdges(ReadOnlySpan<double> sortedValues)
    {
        if (sortedValues.IsEmpty)
        {
            throw new ArgumentException("At least one value is needed.", nameof(sortedValues));
        }

        return SturgesEdges(sortedValues[0], sortedValues[^1], sortedValues.Length);
    }

    /// <summary>
    /// Counts sorted values into bins as <c>np.histogram(x, edges)</c> does: bin i holds edges[i] ≤ x &lt; edges[i+1],
    /// the last bin also holds its upper edge, values outside the edges are not counted.
    /// </summary>
    /// <param name="sortedValues">The values, ascending.</param>
    /// <param name="edges">The bin edges, ascending, at least two.</param>
    /// <returns>One count per bin (edges.Length − 1).</returns>
    public static double[] HistogramCounts(ReadOnlySpan<double> sortedValues, ReadOnlySpan<double> edges)
    {
        if (edges.Length < 2)
        {
            throw new ArgumentException("At least two edges are needed.", nameof(edges));
        }

        var counts = new double[edges.Length - 1];
        var previous = LowerBound(sortedValues, edges[0]);
        for (var i = 1; i < edges.Length; i++)
        {
            var position = i == edges.Length - 1 ? UpperBound(sortedValues, edges[i]) : LowerBound(sortedValues, edges[i]);
            counts[i - 1] = position - previous;
            previous = position;
        }

        return counts;
    }

    /// <summary>The survival function of the chi-square distribution, as <c>scipy.stats.chi2.sf</c>.</summary>
    /// <param name="x">The statistic.</param>
    /// <param name="degreesOfFreedom">Degrees of freedom, positive.</param>
    public static double ChiSquareSurvival(double x, double degreesOfFreedom)
    {
        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        return x <= 0 ? 1 : SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2, x / 2);
    }

    internal static (double Statistic, double PValue) KolmogorovSmirnovTest(double statistic, long n, long m)
    {
        if (n <= 0 || m <= 0)
        {
            throw new ArgumentException("Both samples need at least one value.", n <= 0 ? nameof(n) : nameof(m));
        }

        if (double.IsNaN(statistic) || statistic < 0 || statistic > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "A Kolmogorov–Smirnov statistic lies in [0, 1].");
        }

        const long maxExactSize = 10_000;
        if (Math.Max(n, m) <= maxExactSize)
        {
            var exact = TwoSampleKolmogorov.TryExactSurvival(n, m, statistic);
            statistic = exact.RoundedStatistic;
            if (exact.Success)
            {
                return (statistic, Math.Clamp(exact.PValue, 0, 1));
            }
        }

        double larger = Math.Max(n, m);
        double smaller = Math.Min(n, m);
        var effective = Math.Round(larger * smaller / (larger + smaller), MidpointRounding.ToEven);
        return (statistic, Math.Clamp(KolmogorovDistribution.Survival((long)effective, statistic), 0, 1));
    }

    internal static double KolmogorovSmirnovDistance(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        double n = sortedA.Length;
        double m = sortedB.Length;
        int i = 0, j = 0;
        double distance = 0;
        while (i < sortedA.Length && j < sortedB.Length)
        {
            var next = Math.Min(sortedA[i], sortedB[j]);
            while (i < sortedA.Length && sortedA[i] <= next)
            {
                i++;
            }

            while (j < sortedB.Length && sortedB[j] <= next)
            {
                j++;
            }

            distance = Math.Max(distance, Math.Abs((i / n) - (j / m)));
        }

        // Once one side is exhausted its function is 1 and the other only climbs towards 1: the gap only shrinks.
        return distance;
    }

    internal static int LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    internal static int UpperBound(ReadOnlySpan<double> sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (sorted[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static double[] Linspace(double start, double stop, int count)
    {
        // numpy: step = (stop − start) / (count − 1); y = i × step + start; the last point is stop exactly.
        var edges = new double[count];
        var step = (stop - start) / (count - 1);
        for (var i = 0; i < count; i++)
        {
            edges[i] = (i * step) + start;
        }

        edges[^1] = stop;
        return edges;
    }

    private static double NormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    private static double RelativeEntropy(double x, double y)
    {
        // scipy.special.rel_entr: x ln(x / y), 0 when x is 0.
        return x == 0 ? 0 : x * Math.Log(x / y);
    }

    private static double EmptyShare(ReadOnlySpan<double> counts, double total)
    {
        var smallest = double.PositiveInfinity;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                smallest = Math.Min(smallest, count / total);
            }
        }

        return smallest <= EmptyBinShare ? smallest / 1e6 : EmptyBinShare;
    }

    private static double Total(ReadOnlySpan<double> counts, ReadOnlySpan<double> other, string name)
    {
        if (counts.Length != other.Length)
        {
            throw new ArgumentException($"Both sides need the same bins: {counts.Length} counts against {other.Length}.", name);
        }

        if (counts.IsEmpty)
        {
            throw new ArgumentException("At least one bin is needed.", name);
        }

        var total = 0.0;
        foreach (var count in counts)
        {
            if (count < 0 || double.IsNaN(count))
            {
                throw new ArgumentException($"Counts must be non-negative, got {count}.", name);
            }

            total += count;
        }

        if (total <= 0)
        {
            throw new ArgumentException("The counts sum to zero: the side has no values.", name);
        }

        return total;
    }

    private static double WeightTotal(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, string name)
    {
        if (values.Length != weights.Length)
        {
            throw new ArgumentException($"One weight per value is needed: {values.Length} values, {weights.Length} weights.", name);
        }

        var total = 0.0;
        foreach (var weight in weights)
        {
            if (weight < 0 || double.IsNaN(weight))
            {
                throw new ArgumentException($"Weights must be non-negative, got {weight}.", name);
            }

            total += weight;
        }

        if (total <= 0)
        {
            throw new ArgumentException("The weights sum to zero.", name);
        }

        return total;
    }
}
