namespace Slipway.Core.Deployment;

/// <summary>
/// Gate policies, promotion records and traffic splits (SQLite, PostgreSQL). A promotion's record, its alias move, its
/// split change and its event are written in one transaction, so an alias never moves without its record and event.
/// </summary>
public interface IDeploymentStore
{
    /// <summary>Appends a policy revision (the next number for the model and alias). Throws not-found for an unknown model.</summary>
    Task<GatePolicyRevision> AddGatePolicyAsync(string name, string alias, string document, bool isProtected, string userId, long timestamp, CancellationToken cancellationToken);

    /// <summary>The given revision, or the newest when <paramref name="revision"/> is null; null when there is none.</summary>
    Task<GatePolicyRevision?> GetGatePolicyAsync(string name, string alias, long? revision, CancellationToken cancellationToken);

    /// <summary>Every revision of the model's policies (of one alias when given), oldest first.</summary>
    Task<IReadOnlyList<GatePolicyRevision>> ListGatePoliciesAsync(string name, string? alias, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="record"/> (its id is assigned here) and applies <paramref name="effects"/> in the same
    /// transaction, with the event <see cref="DeploymentEvents.For"/> names. Throws <c>INVALID_STATE</c> when the
    /// alias's target is no longer <see cref="PromotionRecord.FromVersion"/> (someone moved it meanwhile) or the split
    /// to end is not the current one.
    /// </summary>
    Task<PromotionRecord> RecordPromotionAsync(PromotionRecord record, PromotionEffects effects, CancellationToken cancellationToken);

    /// <summary>The newest promotion records first, at most <paramref name="maxResults"/>; of one alias when given.</summary>
    Task<IReadOnlyList<PromotionRecord>> ListPromotionsAsync(string name, string? alias, int maxResults, CancellationToken cancellationToken);

    /// <summary>The alias's traffic split, or null when it serves its target alone.</summary>
    Task<DeploymentState?> GetDeploymentAsync(string name, string alias, CancellationToken cancellationToken);
}

/// <summary>What recording a promotion changes besides appending the record.</summary>
/// <param name="MoveAlias">Point the alias at <see cref="PromotionRecord.ToVersion"/> (recorded in the alias history with the record's user and reason).</param>
/// <param name="StartSplit">Start this traffic split (its <see cref="DeploymentState.PromotionId"/> is set to the new record's id); replaces none: a running split must be ended first.</param>
/// <param name="EndSplitOf">End the split started by this promotion id; INVALID_STATE when another (or none) is running.</param>
public sealed record PromotionEffects(bool MoveAlias, DeploymentState? StartSplit = null, long? EndSplitOf = null)
{
    /// <summary>Only the record (failed attempts, dry runs).</summary>
    public static PromotionEffects RecordOnly { get; } = new(false);
}
