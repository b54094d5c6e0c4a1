using Slipway.Serving.Hosting;

namespace Slipway.Deploy.Canary;

/// <summary>A shadow's mirrored requests since its split started and how its answers compared with the stable ones.</summary>
public sealed class ShadowCounters
{
    private readonly Lock sums = new();
    private long ok;
    private long failed;
    private long dropped;
    private double agreementSum;
    private long agreementCount;
    private double differenceSum;
    private long differenceCount;

    /// <summary>Counts one mirrored request (called in the background, off the callers' path).</summary>
    public void Record(ShadowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (result.Outcome)
        {
            case ShadowOutcome.Dropped:
                Interlocked.Increment(ref dropped);
                return;
            case ShadowOutcome.Error:
                Interlocked.Increment(ref failed);
                return;
        }

        Interlocked.Increment(ref ok);
        lock (sums)
        {
            foreach (var output in result.Outputs)
            {
                if (output.Kind == ComparisonKind.Agreement)
                {
                    agreementSum += output.Value;
                    agreementCount++;
                }
                else
                {
                    differenceSum += output.Value;
                    differenceCount++;
                }
            }
        }
    }

    /// <summary>The counts now.</summary>
    public ShadowSnapshot Snapshot()
    {
        lock (sums)
        {
            return new ShadowSnapshot(
                Interlocked.Read(ref ok),
                Interlocked.Read(ref failed),
                Interlocked.Read(ref dropped),
                agreementCount == 0 ? null : agreementSum / agreementCount,
                differenceCount == 0 ? null : differenceSum / differenceCount);
        }
    }
}

/// <summary>A shadow's mirrored requests at a moment.</summary>
/// <param name="Scored">Mirrored requests the shadow scored.</param>
/// <param name="Errors">Mirrored requests the shadow failed on.</param>
/// <param name="Dropped">Mirrored requests skipped because the shadow was busy.</param>
/// <param name="MeanAgreement">The mean share of rows equal to the stable answer over integer, boolean and string outputs; null when none was compared.</param>
/// <param name="MeanAbsoluteDifference">The mean of the per-request mean absolute differences over floating-point outputs; null when none was compared.</param>
public sealed record ShadowSnapshot(long Scored, long Errors, long Dropped, double? MeanAgreement, double? MeanAbsoluteDifference)
{
    /// <summary>Nothing mirrored yet.</summary>
    public static ShadowSnapshot Empty { get; } = new(0, 0, 0, null, null);
}
