namespace Slipway.Core.Statistics.Profiles;

/// <summary>
/// The summary of one numeric feature over some rows: moments, extremes, a histogram on fixed bin edges and a quantile
/// sketch. Immutable; built by <see cref="NumericProfileBuilder"/> or rebuilt from stored values with the constructor.
/// </summary>
public sealed record NumericProfile
{
    /// <summary>A profile from its parts (what a reader of stored profiles calls).</summary>
    /// <param name="count">Non-missing values.</param>
    /// <param name="missing">Missing values (NaN or infinite).</param>
    /// <param name="mean">The mean of the non-missing values; NaN when there are none.</param>
    /// <param name="variance">The population variance (divided by the count, ddof = 0); NaN when there are no values.</param>
    /// <param name="min">The smallest value; NaN when there are none.</param>
    /// <param name="max">The largest value; NaN when there are none.</param>
    /// <param name="binEdges">The histogram's edges, increasing; empty for no histogram.</param>
    /// <param name="binCounts">Values per bin: one fewer than the edges (none without edges).</param>
    /// <param name="below">Values below the first edge.</param>
    /// <param name="above">Values above the last edge.</param>
    /// <param name="sketchValues">The quantile sketch's items, sorted.</param>
    /// <param name="sketchWeights">The sketch items' weights, summing to <paramref name="count"/>.</param>
    public NumericProfile(
        long count,
        long missing,
        double mean,
        double variance,
        double min,
        double max,
        IReadOnlyList<double> binEdges,
        IReadOnlyList<long> binCounts,
        long below,
        long above,
        IReadOnlyList<double> sketchValues,
        IReadOnlyList<long> sketchWeights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(missing);
        ArgumentOutOfRangeException.ThrowIfNegative(below);
        ArgumentOutOfRangeException.ThrowIfNegative(above);
        ArgumentNullException.ThrowIfNull(binEdges);
        ArgumentNullException.ThrowIfNull(binCounts);
        ArgumentNullException.ThrowIfNull(sketchValues);
        ArgumentNullException.ThrowIfNull(sketchWeights);
        if (binEdges.Count == 1 || binCounts.Count != Math.Max(0, binEdges.Count - 1))
        {
            throw new ArgumentException($"{binEdges.Count} bin edges need {Math.Max(0, binEdges.Count - 1)} bin counts, not {binCounts.Count} (and one edge alone makes no bin).", nameof(binCounts));
        }

        if (sketchValues.Count != sketchWeights.Count)
        {
            throw new ArgumentException($"{sketchValues.Count} sketch values but {sketchWeights.Count} weights.", nameof(sketchWeights));
        }

        Count = count;
        Missing = missing;
        Mean = mean;
        Variance = variance;
        Min = min;
        Max = max;
        BinEdges = binEdges;
        BinCounts = binCounts;
        Below = below;
        Above = above;
        SketchValues = sketchValues;
        SketchWeights = sketchWeights;
    }

    /// <summary>Non-missing values.</summary>
    public long Count { get; }

    /// <summary>Missing values (NaN or infinite).</summary>
    public long Missing { get; }

    /// <summary>Values, missing ones included.</summary>
    public long Rows => Count + Missing;

    /// <summary>The mean of the non-missing values; NaN when there are none.</summary>
    public double Mean { get; }

    /// <summary>The population variance (sum of squared deviations divided by <see cref="Count"/>, ddof = 0); NaN when empty.</summary>
    public double Variance { get; }

    /// <summary>The sample variance (divided by <see cref="Count"/> − 1, ddof = 1); NaN for fewer than two values.</summary>
    public double SampleVariance => Count < 2 ? double.NaN : Variance * Count / (Count - 1);

    /// <summary>The population standard deviation (ddof = 0), as Evidently's Wasserstein norm uses it.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>The smallest value; NaN when there are none.</summary>
    public double Min { get; }

    /// <summary>The largest value; NaN when there are none.</summary>
    public double Max { get; }

    /// <summary>The histogram's edges, increasing; empty when the profile has no histogram.</summary>
    public IReadOnlyList<double> BinEdges { get; }

    /// <summary>
    /// Values per bin as numpy's histogram counts them: bin i holds <c>edges[i] ≤ x &lt; edges[i+1]</c>, the last bin
    /// also holds its right edge.
    /// </summary>
    public IReadOnlyList<long> BinCounts { get; }

    /// <summary>Values below the first edge (0 without a histogram).</summary>
    public long Below { get; }

    /// <summary>Values above the last edge (0 without a histogram).</summary>
    public long Above { get; }

    /// <summary>The quantile sketch's items, sorted by value.</summary>
    public IReadOnlyList<double> SketchValues { get; }

    /// <summary>The quantile sketch items' weights (the values each item stands for).</summary>
    public IReadOnlyList<long> SketchWeights { get; }

    /// <summary>The quantile sketch rebuilt from its items.</summary>
    public QuantileSketch ToSketch(int k = QuantileSketch.DefaultK)
    {
        var values = new double[SketchValues.Count];
        var weights = new long[SketchWeights.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = SketchValues[i];
            weights[i] = SketchWeights[i];
        }

        return QuantileSketch.FromItems(values, weights, k);
    }

    /// <summary>The profile of both profiles' values together; their bin edges must be equal.</summary>
    /// <exception cref="ArgumentException">The bin edges differ.</exception>
    public static NumericProfile Merge(NumericProfile a, NumericProfile b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var edges = new double[a.BinEdges.Count];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = a.BinEdges[i];
        }

        var builder = new NumericProfileBuilder(edges.Length == 0 ? null : edges);
        builder.Merge(a);
        builder.Merge(b);
        return builder.ToProfile();
    }
}
