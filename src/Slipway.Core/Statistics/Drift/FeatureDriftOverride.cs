namespace Slipway.Core.Statistics.Drift;

/// <summary>A per-feature choice of drift test and threshold; a null member keeps the automatic choice.</summary>
/// <param name="Method">The test to run instead of the automatic one.</param>
/// <param name="Threshold">The threshold instead of the method's default (0.05 for p-values, 0.1 for distances).</param>
public sealed record FeatureDriftOverride(DriftMethod? Method = null, double? Threshold = null);
