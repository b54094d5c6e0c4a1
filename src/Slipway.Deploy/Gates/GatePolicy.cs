using Slipway.Core.Deployment;

namespace Slipway.Deploy.Gates;

/// <summary>
/// A parsed gate policy (the YAML stored per model and alias): whether the alias is protected, which gates a promotion
/// runs, and how canaries and shadows are judged. Every field is optional; an empty document is all defaults.
/// </summary>
/// <remarks>
/// <code>
/// protected: true                # default true
/// recent_inputs: 24h             # logged inputs read by the signature and replay gates and rollback's check
/// gates:
///   signature: {enabled: true}   # default on
///   replay: {enabled: true, input_example: true, logged_requests: 200}
///   metrics: ["auc >= champion.auc - 0.01"]
///   latency: {p99_ms: 50, runs: 200}                     # off unless given
///   drift: {enabled: true, window: 24h, max_drifted_share: 0.5}   # off unless enabled
/// canary: {weight: 10, sticky_header: X-User-Id, window: 10m, min_requests: 100,
///          max_error_rate_increase: 1, max_latency_ratio: 1.5, auto_promote: true, auto_rollback: true}
/// shadow: {percent: 100}
/// </code>
/// Durations are a number and a unit: <c>30s</c>, <c>10m</c>, <c>24h</c>, <c>7d</c>.
/// </remarks>
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

    /// <summary>Whether the signature gate runs (<c>gates.signature.enabled</c>, default true).</summary>
    public bool SignatureGate { get; init; } = true;

    /// <summary>The replay gate (<c>gates.replay</c>, default on: input example and 200 logged rows).</summary>
    public ReplayGateOptions Replay { get; init; } = new();

    /// <summary>The metric gates in the order written (<c>gates.metrics</c>, default none).</summary>
    public IReadOnlyList<MetricGate> Metrics { get; init; } = [];

    /// <summary>The latency gate, or null when off (<c>gates.latency</c>, off unless given).</summary>
    public LatencyGateOptions? Latency { get; init; }

    /// <summary>The drift gate, or null when off (<c>gates.drift</c>, off unless <c>enabled: true</c>).</summary>
    public DriftGateOptions? Drift { get; init; }

    /// <summary>The policy an alias without a stored one gets: signature and replay gates only, not protected.</summary>
    public static GatePolicy Default { get; } = new() { Protected = false };

    /// <summary>Parses and validates a policy; throws <see cref="GatePolicyException"/> naming the field.</summary>
    /// <param name="yaml">The policy document; empty or blank for all defaults.</param>
    /// <exception cref="GatePolicyException">A field is unknown, of the wrong type or out of range, or the YAML is malformed; the message names the field (e.g. <c>gates.latency.p99_ms must be a positive number</c>).</exception>
    public static GatePolicy Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return GatePolicyParser.Parse(yaml);
    }
}
