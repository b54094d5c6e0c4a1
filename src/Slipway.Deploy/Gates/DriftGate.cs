using System.Globalization;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring.InferenceLog;
using Slipway.Monitoring.Reference;

namespace Slipway.Deploy.Gates;

/// <summary>
/// The drift gate: the model's logged inputs over the window against the candidate's stored reference data, with the
/// exact per-feature tests of <see cref="DriftDetector"/>. Fails when the share of drifted features reaches
/// <see cref="DriftGateOptions.MaxDriftedShare"/>; skipped when the candidate has no reference or nothing was logged.
/// Only features present on both sides, of the same kind and with values on both sides, are compared.
/// </summary>
internal static class DriftGate
{
    public const string Gate = "drift";

    public static async Task<GateResult> RunAsync(
        DriftGateOptions options, IModelRegistry registry, ModelVersion candidate, string? monitoringDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"drifted share < {options.MaxDriftedShare:0.##} over {Contracts.InputContractCheck.Describe(options.Window)}");
        if (monitoringDirectory is null)
        {
            return new GateResult(Gate, name, GateOutcome.Skipped, "no inference log is configured, so there is no recent traffic to compare");
        }

        if (!Directory.Exists(monitoringDirectory))
        {
            return new GateResult(Gate, name, GateOutcome.Skipped, "the inference log folder does not exist, so there is no recent traffic to compare");
        }

        var stored = ReferenceStore.Find(candidate);
        if (stored is null)
        {
            return new GateResult(Gate, name, GateOutcome.Skipped, $"version {candidate.Version} has no reference data to compare traffic with");
        }

        var now = time.GetUtcNow();
        var logged = await InferenceLogReader.ReadAsync(monitoringDirectory, candidate.Name, now - options.Window, now, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (logged.Count == 0 || logged[0].Length == 0)
        {
            return new GateResult(Gate, name, GateOutcome.Skipped, $"no requests to '{candidate.Name}' were logged in the last {Contracts.InputContractCheck.Describe(options.Window)}");
        }

        var reference = await ReferenceStore.LoadDataAsync(registry, stored, cancellationToken).ConfigureAwait(false);
        var byName = reference.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var current = new List<DriftColumn>();
        var compared = new List<DriftColumn>();
        foreach (var column in logged)
        {
            if (byName.TryGetValue(column.Name, out var match) && match.Kind == column.Kind && HasValues(column) && HasValues(match))
            {
                current.Add(column);
                compared.Add(match);
            }
        }

        if (current.Count == 0)
        {
            return new GateResult(Gate, name, GateOutcome.Skipped,
                $"no logged input matches a reference feature ({string.Join(", ", reference.Select(c => c.Name))})");
        }

        var report = DriftDetector.Detect(compared, current, new DriftOptions { DriftShare = options.MaxDriftedShare }, cancellationToken);
        var failed = report.DriftedShare >= options.MaxDriftedShare;
        var drifted = report.Features.Where(f => f.Drifted).Take(3).Select(Describe).ToArray();
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"{report.DriftedFeatures} of {report.Features.Count} features drifted ({report.DriftedShare:0.##} {(failed ? ">=" : "<")} {options.MaxDriftedShare:0.##}) over {report.CurrentRows} logged rows against {report.ReferenceRows} reference rows");
        if (drifted.Length > 0)
        {
            detail += "; most drifted: " + string.Join(", ", drifted);
        }

        return new GateResult(Gate, name, failed ? GateOutcome.Failed : GateOutcome.Passed, detail);
    }

    private static bool HasValues(DriftColumn column) => column.Kind == FeatureKind.Numeric
        ? column.Numbers!.Any(double.IsFinite)
        : column.Categories!.Any(c => c is not null);

    private static string Describe(FeatureDrift feature) => string.Create(
        CultureInfo.InvariantCulture,
        $"{feature.Feature} ({DriftMethods.Name(feature.Method)} {(DriftMethods.IsPValue(feature.Method) ? "p-value" : "distance")} {feature.Score:G3} vs threshold {feature.Threshold:G3})");
}
