namespace Slipway.Core.Deployment;

/// <summary>
/// One stored revision of the gate policy of a model's alias. Policies are versioned: setting one appends a revision,
/// and every promotion records the revision it ran.
/// </summary>
/// <param name="Name">The registered model.</param>
/// <param name="Alias">The alias the policy guards (e.g. <c>champion</c>).</param>
/// <param name="Revision">1, 2, 3, ... per model and alias.</param>
/// <param name="Document">The policy as given (YAML).</param>
/// <param name="Protected">Whether the alias may move only through promote and rollback (the policy's <c>protected</c>, default true).</param>
/// <param name="UserId">Who set it; empty when unknown.</param>
/// <param name="CreatedAt">Milliseconds since the Unix epoch.</param>
public sealed record GatePolicyRevision(string Name, string Alias, long Revision, string Document, bool Protected, string UserId, long CreatedAt);
