namespace Slipway.Deploy.Gates;

/// <summary>The drift gate (<c>gates.drift</c>): recent traffic compared with the candidate's reference data.</summary>
/// <param name="Window">How far back logged inputs are read (<c>window</c>, default 24 h).</param>
/// <param name="MaxDriftedShare">The gate fails when the share of drifted features is at or above this, in (0, 1] (<c>max_drifted_share</c>, default 0.5).</param>
public sealed record DriftGateOptions(TimeSpan Window, double MaxDriftedShare = 0.5)
{
    /// <summary>The defaults: a 24 h window, failing at half the features drifted.</summary>
    public static DriftGateOptions Default { get; } = new(TimeSpan.FromHours(24));
}
