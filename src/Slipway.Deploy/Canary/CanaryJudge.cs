using System.Globalization;
using Slipway.Core.Deployment;

namespace Slipway.Deploy.Canary;

/// <summary>
/// Applies a <see cref="CanaryPolicy"/> to the counts of a running canary: roll back as soon as the canary has
/// <see cref="CanaryPolicy.MinRequests"/> requests and its error rate exceeds stable's by more than
/// <see cref="CanaryPolicy.MaxErrorRateIncrease"/> or its p99 latency exceeds <see cref="CanaryPolicy.MaxLatencyRatio"/>
/// times stable's; promote once the window has elapsed with enough requests and neither limit broken; otherwise wait
/// (a window that elapsed with too few canary requests keeps waiting for them).
/// </summary>
public static class CanaryJudge
{
    /// <summary>Default <c>latencyFloor</c>: p99 latencies below one millisecond count as one millisecond.</summary>
    public static readonly TimeSpan DefaultLatencyFloor = TimeSpan.FromMilliseconds(1);

    /// <summary>Judges a canary.</summary>
    /// <param name="policy">The split's policy.</param>
    /// <param name="stable">The stable version's counts since the split started.</param>
    /// <param name="canary">The canary's counts since the split started.</param>
    /// <param name="elapsed">Time since the split started.</param>
    /// <param name="latencyFloor">
    /// The stable p99 the latency limit is applied to is at least this: sub-millisecond latencies differ by scheduling
    /// noise, not by model, so a ratio between them is no evidence.
    /// </param>
    public static CanaryVerdict Judge(CanaryPolicy policy, VariantSnapshot stable, VariantSnapshot canary, TimeSpan elapsed, TimeSpan latencyFloor)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(stable);
        ArgumentNullException.ThrowIfNull(canary);
        var counts = Text($"over {canary.Requests}/{stable.Requests} canary/stable requests");
        var window = TimeSpan.FromSeconds(policy.WindowSeconds);
        if (canary.Requests < policy.MinRequests)
        {
            var waiting = Text($"canary has {canary.Requests} of the {policy.MinRequests} requests a decision needs");
            return new CanaryVerdict(CanaryDecision.Wait, elapsed >= window ? waiting + "; the window has elapsed, waiting for more" : waiting);
        }

        var errorsWorse = canary.ErrorRate - stable.ErrorRate > policy.MaxErrorRateIncrease;
        var latencyLimit = policy.MaxLatencyRatio * Math.Max(stable.P99Seconds, latencyFloor.TotalSeconds);
        var slower = stable.Requests > 0 && canary.P99Seconds > latencyLimit;
        if (errorsWorse || slower)
        {
            var evidence = errorsWorse
                ? Text($"canary error rate {Percent(canary.ErrorRate)} vs stable {Percent(stable.ErrorRate)} {counts} > +{policy.MaxErrorRateIncrease * 100:0.0} points")
                : Text($"canary p99 {Milliseconds(canary.P99Seconds)} vs stable {Milliseconds(stable.P99Seconds)} {counts} > {policy.MaxLatencyRatio:0.##}x");
            return policy.AutoRollback
                ? new CanaryVerdict(CanaryDecision.RollBack, evidence)
                : new CanaryVerdict(CanaryDecision.Wait, evidence + "; automatic rollback is off");
        }

        var health = Text(
            $"error rate {Percent(canary.ErrorRate)} vs stable {Percent(stable.ErrorRate)}, p99 {Milliseconds(canary.P99Seconds)} vs {Milliseconds(stable.P99Seconds)} {counts}");
        if (elapsed < window)
        {
            return new CanaryVerdict(CanaryDecision.Wait, Text($"canary healthy so far ({health}); the window ends in {Math.Ceiling((window - elapsed).TotalSeconds):0} s"));
        }

        var verdict = Text($"canary healthy after its {policy.WindowSeconds:0.###} s window: {health}");
        return policy.AutoPromote
            ? new CanaryVerdict(CanaryDecision.Promote, verdict)
            : new CanaryVerdict(CanaryDecision.Wait, verdict + "; automatic promotion is off");
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Milliseconds(double seconds) => (seconds * 1000).ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
