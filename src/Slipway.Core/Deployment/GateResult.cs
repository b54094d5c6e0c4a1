namespace Slipway.Core.Deployment;

/// <summary>The result of one gate of a promotion.</summary>
/// <param name="Gate">Which gate: <c>signature</c>, <c>replay</c>, <c>metric</c>, <c>latency</c> or <c>drift</c>.</param>
/// <param name="Name">What it checked, readable on its own (e.g. <c>auc &gt;= champion.auc - 0.01</c>).</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Detail">Why, with the numbers (e.g. <c>0.861 &lt; 0.872 - 0.01</c>).</param>
public sealed record GateResult(string Gate, string Name, GateOutcome Outcome, string Detail);

/// <summary>How a gate ended.</summary>
public enum GateOutcome
{
    /// <summary>The candidate met the gate.</summary>
    Passed,

    /// <summary>The candidate did not meet the gate: the promotion fails.</summary>
    Failed,

    /// <summary>The gate did not apply (e.g. no current version to compare with, no logged traffic); it does not block.</summary>
    Skipped,
}
