namespace Slipway.Core.Statistics.Drift;

/// <summary>
/// The drift tests, as Evidently names and computes them. The first three give a p-value (drift when it is below the
/// threshold, 0.05 by default); the others give a distance (drift when it is at or above the threshold, 0.1 by default).
/// </summary>
public enum DriftMethod
{
    /// <summary>Two-sample Kolmogorov–Smirnov test (<c>ks</c>): p-value.</summary>
    Ks,

    /// <summary>Pearson's chi-square test of the current counts against the reference proportions (<c>chisquare</c>): p-value.</summary>
    ChiSquare,

    /// <summary>Two-proportion z-test on the first category (<c>z</c>): p-value.</summary>
    ZTest,

    /// <summary>Wasserstein distance divided by the reference's standard deviation (<c>wasserstein</c>): distance.</summary>
    Wasserstein,

    /// <summary>Jensen–Shannon distance (base-2 logarithm, so in [0, 1], as Evidently) of the binned distributions (<c>jensenshannon</c>): distance.</summary>
    JensenShannon,

    /// <summary>Population stability index of the binned distributions (<c>psi</c>): distance.</summary>
    Psi,
}
