namespace Slipway.Deploy.Canary;

/// <summary>A decision the canary controller made or tried to make, for logs.</summary>
/// <param name="Model">The registered model.</param>
/// <param name="Alias">The alias.</param>
/// <param name="PromotionId">The split's promotion id.</param>
/// <param name="Decision">Promote or roll back.</param>
/// <param name="Reason">The evidence.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Exception">The failure, when <paramref name="Outcome"/> is <see cref="CanaryEventOutcome.Failed"/>.</param>
public sealed record CanaryEvent(string Model, string Alias, long PromotionId, CanaryDecision Decision, string Reason, CanaryEventOutcome Outcome, Exception? Exception = null);

/// <summary>What became of a canary decision.</summary>
public enum CanaryEventOutcome
{
    /// <summary>Recorded: the alias moved (promote) or the split stopped (roll back).</summary>
    Concluded,

    /// <summary>The store said the split was already decided (another serving node, or a person, was first).</summary>
    DecidedElsewhere,

    /// <summary>The decision could not be recorded; it is tried again on the next tick.</summary>
    Failed,
}
