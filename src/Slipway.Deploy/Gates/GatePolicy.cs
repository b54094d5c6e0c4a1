using Slipway.Core.Deployment;

namespace Slipway.Deploy.Gates;

/// <summary>
/// A parsed gate policy (the YAML stored per model and alias). CONTRACT DRAFT: the gates helper completes the parser
/// and the gate settings; the members below are what promotion and the canary controller rely on.
/// </summary>
public sealed class GatePolicy
{
    /// <summary>Whether the alias moves only through promote and rollback (<c>protected</c>, default true).</summary>
    public bool Protected { get; init; } = true;

    /// <summary>The canary's default weight, 0 to 1 (<c>canary.weight</c> in percent in YAML, default 10 %).</summary>
    public double CanaryWeight { get; init; } = 0.1;

    /// <summary>The request header that keeps a caller on one variant (<c>canary.sticky_header</c>), empty for random.</summary>
    public string StickyKey { get; init; } = string.Empty;

    /// <summary>The shadow's default mirrored share, 0 to 1 (<c>shadow.percent</c>, default 100 %).</summary>
    public double ShadowShare { get; init; } = 1.0;

    /// <summary>How a canary is judged (<c>canary.window</c>, <c>min_requests</c>, ...).</summary>
    public CanaryPolicy Canary { get; init; } = new();

    /// <summary>The window of logged inputs the signature and replay gates and rollback's contract check read (default 24 h).</summary>
    public TimeSpan RecentInputs { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The policy an alias without a stored one gets: signature and replay gates only, not protected.</summary>
    public static GatePolicy Default { get; } = new() { Protected = false };

    /// <summary>Parses and validates a policy; throws <see cref="GatePolicyException"/> naming the field.</summary>
    public static GatePolicy Parse(string yaml) => throw new NotImplementedException("gates helper: " + yaml.Length);
}
