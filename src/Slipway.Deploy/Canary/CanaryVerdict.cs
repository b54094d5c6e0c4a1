namespace Slipway.Deploy.Canary;

/// <summary>What the canary policy says about a canary now, and why (the evidence, recorded with the decision).</summary>
/// <param name="Decision">Wait, promote or roll back.</param>
/// <param name="Reason">The evidence: rates, latencies and request counts.</param>
public sealed record CanaryVerdict(CanaryDecision Decision, string Reason);

/// <summary>A canary policy's decision.</summary>
public enum CanaryDecision
{
    /// <summary>Not enough evidence yet, the window has not elapsed, or the automatic action is off.</summary>
    Wait,

    /// <summary>The canary is healthy after its window: the alias moves to it.</summary>
    Promote,

    /// <summary>The canary is worse than stable beyond the policy's limits: the split stops, the alias stays.</summary>
    RollBack,
}
