namespace Slipway.Core.Deployment;

/// <summary>
/// One recorded attempt to move a protected alias: a promotion (with each gate's result), a rollback (with the
/// contract problems found), or a canary start or decision. Attempts are recorded whether they pass or not.
/// </summary>
/// <param name="Id">Increasing id.</param>
/// <param name="Name">The registered model.</param>
/// <param name="Alias">The alias.</param>
/// <param name="Kind">What was attempted.</param>
/// <param name="FromVersion">The alias's target before, or null when it had none.</param>
/// <param name="ToVersion">The version the attempt would move the alias to.</param>
/// <param name="PolicyRevision">The gate policy revision that ran, or null when the alias has no policy.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Gates">Each gate's result (promotions).</param>
/// <param name="Problems">Input-contract problems found (rollbacks; also promotions that failed the signature gate).</param>
/// <param name="UserId">Who asked; empty when unknown.</param>
/// <param name="Reason">Why, in the caller's words or the canary controller's.</param>
/// <param name="CreatedAt">Milliseconds since the Unix epoch.</param>
public sealed record PromotionRecord(
    long Id,
    string Name,
    string Alias,
    PromotionKind Kind,
    long? FromVersion,
    long ToVersion,
    long? PolicyRevision,
    PromotionOutcome Outcome,
    IReadOnlyList<GateResult> Gates,
    IReadOnlyList<ContractProblem> Problems,
    string UserId,
    string Reason,
    long CreatedAt)
{
    /// <summary>The gates that failed.</summary>
    public IEnumerable<GateResult> FailedGates => Gates.Where(g => g.Outcome == GateOutcome.Failed);
}

/// <summary>What a promotion record is about.</summary>
public enum PromotionKind
{
    /// <summary><c>slipway promote</c>: gates, then the alias moves (or a canary or shadow starts).</summary>
    Promote,

    /// <summary><c>slipway rollback</c>: contract check, then the alias moves back.</summary>
    Rollback,

    /// <summary>The canary controller promoted the canary.</summary>
    CanaryPromote,

    /// <summary>The canary controller (or a person) stopped the canary; the alias stays on the stable version.</summary>
    CanaryRollback,
}

/// <summary>How a promotion attempt ended.</summary>
public enum PromotionOutcome
{
    /// <summary>Every gate passed (or the contract check found nothing) and the alias moved.</summary>
    Passed,

    /// <summary>A gate failed or the contract check refused; the alias did not move.</summary>
    Failed,

    /// <summary>The contract check found problems and <c>--force</c> moved the alias anyway.</summary>
    Forced,

    /// <summary>Gates passed and a canary or shadow started; the alias moves when the canary is promoted.</summary>
    CanaryStarted,

    /// <summary>Gates were run without moving anything (<c>--dry-run</c>).</summary>
    DryRun,
}
