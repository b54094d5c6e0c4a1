namespace Slipway.Core.Deployment;

/// <summary>
/// Moving protected aliases safely: gate policies, gated promotion (directly, or through a canary or a shadow),
/// contract-checked rollback and canary decisions. One implementation runs in-process (embedded mode and the server),
/// another calls a Slipway server's <c>/api/slipway/</c> API; both behave the same.
/// </summary>
public interface IDeploymentService
{
    /// <summary>Validates and stores a new revision of the alias's gate policy (YAML); 400 naming the field when it is invalid.</summary>
    Task<GatePolicyRevision> SetPolicyAsync(string name, string alias, string document, CancellationToken cancellationToken);

    /// <summary>The newest policy revision (or the given one); throws not-found when the alias has none.</summary>
    Task<GatePolicyRevision> GetPolicyAsync(string name, string alias, long? revision, CancellationToken cancellationToken);

    /// <summary>Every policy revision of the model (of one alias when given), oldest first.</summary>
    Task<IReadOnlyList<GatePolicyRevision>> GetPolicyHistoryAsync(string name, string? alias, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the alias's gates on the version and, when all pass, moves the alias (or starts the requested canary or
    /// shadow). The attempt is recorded either way; a failed one leaves the alias untouched and lists its failed gates.
    /// </summary>
    Task<PromotionRecord> PromoteAsync(PromotionRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the alias back (to the previous version in its history, or the one given) after checking the target's input
    /// contract against the current signature and recent inputs; refuses with the problems unless forced.
    /// </summary>
    Task<PromotionRecord> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken);

    /// <summary>Ends the running canary or shadow: promotes it (the alias moves) or stops it (the alias stays).</summary>
    Task<PromotionRecord> ConcludeSplitAsync(SplitConclusion conclusion, CancellationToken cancellationToken);

    /// <summary>The newest promotion records first.</summary>
    Task<IReadOnlyList<PromotionRecord>> GetPromotionsAsync(string name, string? alias, int maxResults, CancellationToken cancellationToken);

    /// <summary>The alias's traffic split, or null.</summary>
    Task<DeploymentState?> GetDeploymentAsync(string name, string alias, CancellationToken cancellationToken);
}

/// <summary>A request to promote a version to an alias.</summary>
/// <param name="Name">The registered model.</param>
/// <param name="Version">The candidate version.</param>
/// <param name="Alias">The alias to move.</param>
/// <param name="Reason">Why; recorded.</param>
/// <param name="Mode">Move now, or through a canary or a shadow.</param>
/// <param name="Share">The canary's weight or the shadow's mirrored share, 0 to 1; null for the policy's (canary 0.1, shadow 1).</param>
/// <param name="StickyKey">A request header that keeps a caller on one variant; null for the policy's.</param>
/// <param name="DryRun">Run the gates and record the attempt, move nothing.</param>
public sealed record PromotionRequest(
    string Name,
    long Version,
    string Alias,
    string Reason = "",
    PromotionMode Mode = PromotionMode.Direct,
    double? Share = null,
    string? StickyKey = null,
    bool DryRun = false);

/// <summary>How a passed promotion reaches traffic.</summary>
public enum PromotionMode
{
    /// <summary>The alias moves at once.</summary>
    Direct,

    /// <summary>The candidate answers a share of requests; the canary policy promotes or rolls it back.</summary>
    Canary,

    /// <summary>The candidate receives a mirrored share; its answers are discarded, logged and compared.</summary>
    Shadow,
}

/// <summary>A request to roll an alias back.</summary>
/// <param name="Name">The registered model.</param>
/// <param name="Alias">The alias.</param>
/// <param name="ToVersion">The target; null for the version the alias pointed to before its current one.</param>
/// <param name="Force">Move even when the contract check finds problems (recorded as forced).</param>
/// <param name="Reason">Why; recorded.</param>
public sealed record RollbackRequest(string Name, string Alias, long? ToVersion = null, bool Force = false, string Reason = "");

/// <summary>The end of a canary or shadow.</summary>
/// <param name="Name">The registered model.</param>
/// <param name="Alias">The alias.</param>
/// <param name="PromotionId">The promotion that started the split (so a stale decision cannot end a newer split).</param>
/// <param name="Promote">True: the alias moves to the split's version; false: the split stops.</param>
/// <param name="Reason">Why (the controller writes the evidence: error rates, latencies, request counts).</param>
public sealed record SplitConclusion(string Name, string Alias, long PromotionId, bool Promote, string Reason);
