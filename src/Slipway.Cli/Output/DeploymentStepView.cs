namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The quickstart's CI/CD step: a lighter challenger meets the champion's gates, runs as a canary, and is rolled back.</summary>
/// <param name="ChallengerVersion">The challenger's version number.</param>
/// <param name="ChallengerTrees">Boosted trees in the challenger (the champion has more).</param>
/// <param name="ChallengerMetrics">The challenger's held-out metrics.</param>
/// <param name="FailedGates">The gates the first promotion attempt failed (the strict policy revision), as "gate check: detail".</param>
/// <param name="StrictRevision">The policy revision the first attempt ran.</param>
/// <param name="RelaxedRevision">The policy revision the canary promotion ran.</param>
/// <param name="CanaryPromotionId">The promotion record that started the canary.</param>
/// <param name="CanaryWeight">The canary's share of requests, 0 to 1.</param>
/// <param name="RequestsSent">Requests sent to the alias while the canary ran.</param>
/// <param name="CanaryAnswered">How many of them the canary answered (from the <c>X-Slipway-Variant</c> header).</param>
/// <param name="CanaryDecision">The controller's record: <c>canary_promote</c> or <c>canary_rollback</c>.</param>
/// <param name="CanaryReason">Why the controller decided, with its numbers.</param>
/// <param name="RolledBackTo">The version the rollback moved the alias back to.</param>
/// <param name="RollbackProblems">Input-contract problems the rollback found (0: the old champion accepts today's inputs).</param>
public sealed record DeploymentStepView(
    long ChallengerVersion,
    int ChallengerTrees,
    IReadOnlyDictionary<string, double> ChallengerMetrics,
    IReadOnlyList<string> FailedGates,
    long StrictRevision,
    long RelaxedRevision,
    long CanaryPromotionId,
    double CanaryWeight,
    int RequestsSent,
    int CanaryAnswered,
    string CanaryDecision,
    string CanaryReason,
    long RolledBackTo,
    int RollbackProblems);
