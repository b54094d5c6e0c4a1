namespace Slipway.Core.Statistics.Drift;

/// <summary>A dataset drift report: every feature's test, most drifted first, and the dataset verdict.</summary>
/// <param name="Features">The feature results sorted by <see cref="FeatureDrift.Severity"/>, highest first.</param>
/// <param name="ReferenceRows">Rows in the reference.</param>
/// <param name="CurrentRows">Rows in the current data.</param>
/// <param name="DriftShare">The share of drifted features at or above which the dataset drifts (0.5 by default).</param>
public sealed record DriftReport(IReadOnlyList<FeatureDrift> Features, long ReferenceRows, long CurrentRows, double DriftShare)
{
    /// <summary>A report of <paramref name="features"/> in the report's order: most severe first, ties in the given order.</summary>
    public static DriftReport BySeverity(IEnumerable<FeatureDrift> features, long referenceRows, long currentRows, double driftShare) =>
        new([.. features.OrderByDescending(f => f.Severity)], referenceRows, currentRows, driftShare);

    /// <summary>Features whose test found drift.</summary>
    public int DriftedFeatures => Features.Count(f => f.Drifted);

    /// <summary>Drifted features over all features (0 when there are none).</summary>
    public double DriftedShare => Features.Count == 0 ? 0 : (double)DriftedFeatures / Features.Count;

    /// <summary>True when <see cref="DriftedShare"/> is at or above <see cref="DriftShare"/>.</summary>
    public bool DatasetDrift => Features.Count > 0 && DriftedShare >= DriftShare;
}
