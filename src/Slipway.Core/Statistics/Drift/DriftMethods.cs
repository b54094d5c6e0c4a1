namespace Slipway.Core.Statistics.Drift;

/// <summary>Facts about the drift methods: names, defaults and Evidently's automatic choice.</summary>
public static class DriftMethods
{
    /// <summary>The default threshold of p-value tests.</summary>
    public const double DefaultPValueThreshold = 0.05;

    /// <summary>The default threshold of distance methods.</summary>
    public const double DefaultDistanceThreshold = 0.1;

    /// <summary>True for the tests whose score is a p-value (drift below the threshold).</summary>
    public static bool IsPValue(DriftMethod method) => method is DriftMethod.Ks or DriftMethod.ChiSquare or DriftMethod.ZTest;

    /// <summary>The method's default threshold: 0.05 for p-values, 0.1 for distances.</summary>
    public static double DefaultThreshold(DriftMethod method) => IsPValue(method) ? DefaultPValueThreshold : DefaultDistanceThreshold;

    /// <summary>True when <paramref name="score"/> counts as drift for <paramref name="method"/> at <paramref name="threshold"/>.</summary>
    public static bool IsDrift(DriftMethod method, double score, double threshold) =>
        IsPValue(method) ? score < threshold : score >= threshold;

    /// <summary>The method's short name as Evidently spells it: <c>ks</c>, <c>chisquare</c>, <c>z</c>, <c>wasserstein</c>, <c>jensenshannon</c>, <c>psi</c>.</summary>
    public static string Name(DriftMethod method) => method switch
    {
        DriftMethod.Ks => "ks",
        DriftMethod.ChiSquare => "chisquare",
        DriftMethod.ZTest => "z",
        DriftMethod.Wasserstein => "wasserstein",
        DriftMethod.JensenShannon => "jensenshannon",
        DriftMethod.Psi => "psi",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>Parses a name from <see cref="Name"/>; false when unknown.</summary>
    public static bool TryParse(string name, out DriftMethod method)
    {
        foreach (var candidate in Enum.GetValues<DriftMethod>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                method = candidate;
                return true;
            }
        }

        method = default;
        return false;
    }

    /// <summary>
    /// Evidently's automatic choice (<c>get_default_stattest</c>), made after missing and infinite values are dropped.
    /// Up to 1,000 reference rows: numbers with more than 5 unique values get Kolmogorov–Smirnov; fewer unique values
    /// (and categories) get chi-square, or the z-test when there are at most 2. Above 1,000 rows: numbers with more than
    /// 5 unique values get Wasserstein, everything else Jensen–Shannon.
    /// </summary>
    /// <param name="kind">The feature's kind.</param>
    /// <param name="referenceRows">Non-missing values in the reference (Evidently drops NaN and ±∞ before counting rows).</param>
    /// <param name="referenceUnique">Distinct non-missing values in the reference and the current data together
    /// (Evidently counts <c>concat([reference, current]).nunique()</c>, not the reference alone).</param>
    public static DriftMethod Choose(FeatureKind kind, long referenceRows, long referenceUnique)
    {
        if (referenceRows <= 1000)
        {
            if (kind == FeatureKind.Numeric && referenceUnique > 5)
            {
                return DriftMethod.Ks;
            }

            return referenceUnique > 2 ? DriftMethod.ChiSquare : DriftMethod.ZTest;
        }

        return kind == FeatureKind.Numeric && referenceUnique > 5 ? DriftMethod.Wasserstein : DriftMethod.JensenShannon;
    }
}
