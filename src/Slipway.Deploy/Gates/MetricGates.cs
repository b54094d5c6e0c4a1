using Slipway.Core.Deployment;

namespace Slipway.Deploy.Gates;

/// <summary>
/// Runs a policy's metric gates: one result per expression. A candidate without a metric an expression names fails
/// (naming the metric); no current target, or a current target without the metric, skips the gate (there is nothing
/// to compare with, which must not block a first promotion).
/// </summary>
internal static class MetricGates
{
    public const string Gate = "metric";

    public static async Task RunAsync(
        IReadOnlyList<MetricGate> gates, string alias, VersionMetrics candidate, VersionMetrics? current, List<GateResult> results, CancellationToken cancellationToken)
    {
        foreach (var gate in gates)
        {
            results.Add(await RunAsync(gate, alias, candidate, current, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<GateResult> RunAsync(MetricGate gate, string alias, VersionMetrics candidate, VersionMetrics? current, CancellationToken cancellationToken)
    {
        var values = new Dictionary<MetricReference, double>();
        var shown = new List<string>();
        foreach (var reference in gate.Expression.References)
        {
            var (isCurrent, metric) = reference.Resolve(alias);
            if (isCurrent && current is null)
            {
                return new GateResult(Gate, gate.Text, GateOutcome.Skipped, $"'{alias}' points to no version yet, so there is no {reference.Text} to compare with");
            }

            var source = isCurrent ? current! : candidate;
            var (value, missing) = await source.GetAsync(metric, cancellationToken).ConfigureAwait(false);
            if (value is null)
            {
                var who = isCurrent ? $"the current version {source.Version.Version} of '{alias}'" : $"the candidate version {source.Version.Version}";
                return isCurrent
                    ? new GateResult(Gate, gate.Text, GateOutcome.Skipped, $"{who} has no metric '{metric}' ({missing}), so there is nothing to compare with")
                    : new GateResult(Gate, gate.Text, GateOutcome.Failed, $"{who} has no metric '{metric}' ({missing})");
            }

            values[reference] = value.Value;
            shown.Add($"{reference.Text} = {MetricExpression.Format(value.Value)} (version {source.Version.Version})");
        }

        var evaluation = gate.Expression.Evaluate(r => values[r]);
        var detail = shown.Count == 0 ? evaluation.Detail : $"{evaluation.Detail}; {string.Join(", ", shown)}";
        return new GateResult(Gate, gate.Text, evaluation.Holds ? GateOutcome.Passed : GateOutcome.Failed, detail);
    }
}
