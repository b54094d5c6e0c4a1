namespace Slipway.Core.Deployment;

/// <summary>
/// How a served alias splits traffic now: the stable version is the alias's target; a canary version answers a share
/// of requests; a shadow version receives a mirrored share whose answers are discarded (logged and compared).
/// Serving nodes follow it like they follow the alias.
/// </summary>
/// <param name="Name">The registered model.</param>
/// <param name="Alias">The alias.</param>
/// <param name="CanaryVersion">The canary version, or null when none.</param>
/// <param name="CanaryWeight">Share of requests the canary answers, 0 to 1.</param>
/// <param name="StickyKey">A request header whose value picks the variant (same value, same variant); empty for a random split.</param>
/// <param name="ShadowVersion">The shadow version, or null when none.</param>
/// <param name="ShadowShare">Share of requests mirrored to the shadow, 0 to 1.</param>
/// <param name="Policy">How the canary is judged.</param>
/// <param name="StartedAt">When the split started, milliseconds since the Unix epoch.</param>
/// <param name="PromotionId">The promotion record that started it.</param>
public sealed record DeploymentState(
    string Name,
    string Alias,
    long? CanaryVersion,
    double CanaryWeight,
    string StickyKey,
    long? ShadowVersion,
    double ShadowShare,
    CanaryPolicy Policy,
    long StartedAt,
    long PromotionId);

/// <summary>
/// How a canary is judged against the stable version over its window. Defaults: 10 minutes, at least 100 canary
/// requests, error rate at most 1 point above stable, p99 latency at most 1.5 × stable; promote and roll back automatically.
/// </summary>
/// <param name="WindowSeconds">How long the canary runs before the decision, in seconds.</param>
/// <param name="MinRequests">Canary requests needed before a decision; fewer at the end of the window extends it.</param>
/// <param name="MaxErrorRateIncrease">Largest allowed canary error rate minus stable error rate (0.01 = one point).</param>
/// <param name="MaxLatencyRatio">Largest allowed canary p99 latency divided by stable p99 latency.</param>
/// <param name="AutoPromote">Whether a healthy canary is promoted at the end of the window.</param>
/// <param name="AutoRollback">Whether an unhealthy canary is rolled back as soon as the evidence is enough.</param>
public sealed record CanaryPolicy(
    double WindowSeconds = 600,
    long MinRequests = 100,
    double MaxErrorRateIncrease = 0.01,
    double MaxLatencyRatio = 1.5,
    bool AutoPromote = true,
    bool AutoRollback = true);
