namespace Slipway.Core.Statistics.Drift;

/// <summary>The drift test result for one feature.</summary>
/// <param name="Feature">The feature (column) name.</param>
/// <param name="Kind">Whether it was compared as numbers or categories.</param>
/// <param name="Method">The test that ran.</param>
/// <param name="Score">The p-value (Kolmogorov–Smirnov, chi-square, z) or the distance (the others).</param>
/// <param name="Threshold">The threshold the score was held against.</param>
/// <param name="Drifted">True when a p-value is below the threshold or a distance is at or above it.</param>
/// <param name="ReferenceCount">Non-missing reference values.</param>
/// <param name="CurrentCount">Non-missing current values.</param>
/// <param name="Histogram">Both distributions over common bins, for reports.</param>
public sealed record FeatureDrift(
    string Feature,
    FeatureKind Kind,
    DriftMethod Method,
    double Score,
    double Threshold,
    bool Drifted,
    long ReferenceCount,
    long CurrentCount,
    DriftHistogram Histogram)
{
    /// <summary>
    /// How far the score lies past its threshold, comparable across methods: 1 at the threshold, above 1 when drifted.
    /// For p-values it is log(p) / log(threshold); for distances, score / threshold. Reports sort features by it.
    /// </summary>
    public double Severity => DriftMethods.IsPValue(Method)
        ? (Score <= 0 ? double.PositiveInfinity : Math.Log(Score) / Math.Log(Threshold))
        : Score / Threshold;
}
