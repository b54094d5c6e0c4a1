using System.Globalization;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Deploy.Contracts;
using Slipway.Serving.Runtimes;

namespace Slipway.Deploy.Gates;

/// <summary>
/// Runs a policy's gates on a candidate version against the alias's current target, in this order: signature
/// compatibility (with the current signature and recently logged inputs), replay of the input example and of logged
/// requests, metric gates (one result per expression), the p99 latency budget on replay, and the optional drift gate.
/// Gates the policy turns off give no result. A candidate that cannot load or score fails the replay (and latency)
/// gates with the reason; it never makes the run throw.
/// </summary>
/// <param name="registry">Where versions, their packages, metrics tags and references are.</param>
/// <param name="tracker">Run metrics of versions registered from runs; null when not available.</param>
/// <param name="monitoringDirectory">The inference log of served traffic (recent inputs); null when there is none (logged-input parts are skipped, the rest runs).</param>
/// <param name="time">Clock for windows and for timing the latency gate.</param>
public sealed class GateRunner(IModelRegistry registry, IExperimentTracker? tracker, string? monitoringDirectory, TimeProvider time)
{
    /// <summary>
    /// Where candidate packages are downloaded for replay (one folder per content digest, reused across runs); null (the
    /// default) for a temporary folder per run, deleted afterwards.
    /// </summary>
    public string? PackageCacheDirectory { get; init; }

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
        var results = new List<GateResult>();
        IReadOnlyList<ContractProblem> problems = [];
        var replay = policy.Replay.Enabled;
        var replayed = replay || policy.Latency is not null;

        // One scan of the window's inference log serves the signature gate (its schema) and replay (its rows).
        var wanted = replayed ? Math.Max(replay ? policy.Replay.LoggedRequests : 0, policy.Latency?.Runs ?? 0) : 0;
        var (logged, note) = policy.SignatureGate || wanted > 0
            ? await ReadLogAsync(candidate.Name, policy.RecentInputs, wanted, cancellationToken).ConfigureAwait(false)
            : (null, string.Empty);
        if (policy.SignatureGate)
        {
            (var result, problems) = await SignatureAsync(policy, candidate, current, logged, cancellationToken).ConfigureAwait(false);
            results.Add(result);
        }

        if (replayed)
        {
            var rows = wanted == 0 ? (null, "the policy replays no logged rows")
                : logged is null || logged.Rows.Count == 0 ? (null, logged is null ? note : NoRequestsLogged(candidate.Name, policy.RecentInputs))
                : (logged, string.Empty);
            await ReplayAndLatencyAsync(policy, candidate, rows, results, cancellationToken).ConfigureAwait(false);
        }

        if (policy.Metrics.Count > 0)
        {
            var metrics = results.Count;
            try
            {
                await MetricGates.RunAsync(
                    policy.Metrics, alias, new VersionMetrics(candidate, tracker), current is null ? null : new VersionMetrics(current, tracker), results, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                results.RemoveRange(metrics, results.Count - metrics);
                foreach (var gate in policy.Metrics)
                {
                    results.Add(new GateResult(MetricGates.Gate, gate.Text, GateOutcome.Failed, "the metrics could not be read: " + e.Message));
                }
            }
        }

        // Latency results were gathered with replay (one model load); they are listed after the metric gates.
        var latency = results.FindIndex(r => r.Gate == LatencyGate.Gate);
        if (latency >= 0)
        {
            var result = results[latency];
            results.RemoveAt(latency);
            results.Add(result);
        }

        if (policy.Drift is { } drift)
        {
            results.Add(await Guard(
                DriftGate.Gate,
                "drift",
                () => DriftGate.RunAsync(drift, registry, candidate, monitoringDirectory, time, cancellationToken)).ConfigureAwait(false));
        }

        return new GateRun(results, problems);
    }

    private async Task<(GateResult Result, IReadOnlyList<ContractProblem> Problems)> SignatureAsync(
        GatePolicy policy, ModelVersion candidate, ModelVersion? current, LoggedInputs? logged, CancellationToken cancellationToken)
    {
        const string gate = "signature";
        const string name = "input contract";
        InputContractReport report;
        try
        {
            report = await new InputContractCheck(registry, monitoringDirectory, time)
                .ExamineAsync(candidate, current, policy.RecentInputs, logged, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (new GateResult(gate, name, GateOutcome.Failed, "the signatures could not be read: " + e.Message), []);
        }

        if (!report.TargetHasSignature)
        {
            return (new GateResult(gate, name, GateOutcome.Skipped, $"version {candidate.Version} declares no input signature, so there is nothing to check"), []);
        }

        if (report.Problems.Count > 0)
        {
            var count = report.Problems.Count == 1 ? "1 problem" : string.Create(CultureInfo.InvariantCulture, $"{report.Problems.Count} problems");
            return (new GateResult(gate, name, GateOutcome.Failed, $"{count}: {string.Join("; ", report.Problems)}"), report.Problems);
        }

        var window = InputContractCheck.Describe(policy.RecentInputs);
        var withCurrent = report.ComparedWithCurrent
            ? $"accepts the current signature (version {current!.Version})"
            : current is null ? "no current version to compare with" : $"the current version {current.Version} declares no input signature";
        var withLogs = report.ComparedWithLogs
            ? string.Create(CultureInfo.InvariantCulture, $"accepts the inputs logged in the last {window} ({report.LoggedRows} rows)")
            : report.LoggedNote;
        var outcome = report.ComparedWithCurrent || report.ComparedWithLogs ? GateOutcome.Passed : GateOutcome.Skipped;
        return (new GateResult(gate, name, outcome, $"{withCurrent}; {withLogs}"), []);
    }

    private async Task ReplayAndLatencyAsync(
        GatePolicy policy, ModelVersion candidate, (LoggedInputs? Logged, string Note) rows, List<GateResult> results, CancellationToken cancellationToken)
    {
        var ownCache = PackageCacheDirectory is null;
        var cache = PackageCacheDirectory ?? Path.Combine(Path.GetTempPath(), "slipway-gates-" + Guid.NewGuid().ToString("N"));
        IModelRuntime? runtime = null;
        try
        {
            (runtime, var loadError) = await CandidateModel.LoadAsync(registry, candidate, cache, cancellationToken).ConfigureAwait(false);
            if (runtime is null)
            {
                if (policy.Replay.Enabled)
                {
                    results.Add(new GateResult(ReplayGate.Gate, "load", GateOutcome.Failed, loadError));
                }

                if (policy.Latency is { } budget)
                {
                    results.Add(new GateResult(LatencyGate.Gate, $"p99 <= {budget.P99Milliseconds.ToString(CultureInfo.InvariantCulture)} ms", GateOutcome.Failed, loadError));
                }

                return;
            }

            var (logged, note) = rows;
            if (policy.Replay.Enabled)
            {
                ReplayGate.Run(policy.Replay, runtime, logged, note, results);
            }

            if (policy.Latency is { } latency)
            {
                results.Add(LatencyGate.Run(latency, runtime, logged, time));
            }
        }
        finally
        {
            runtime?.Dispose();
            if (ownCache)
            {
                TryDelete(cache);
            }
        }
    }

    // The log of the window (up to `rows` rows kept), or null with why there is none to replay.
    private async Task<(LoggedInputs? Logged, string Note)> ReadLogAsync(string model, TimeSpan window, int rows, CancellationToken cancellationToken)
    {
        if (monitoringDirectory is null)
        {
            return (null, "no inference log is configured, so there are no logged requests to replay");
        }

        if (!Directory.Exists(monitoringDirectory))
        {
            return (null, "the inference log folder does not exist, so there are no logged requests to replay");
        }

        var now = time.GetUtcNow();
        try
        {
            return (await LoggedInputs.ReadAsync(monitoringDirectory, model, now - window, now, rows, cancellationToken).ConfigureAwait(false), string.Empty);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return (null, "the inference log could not be read: " + e.Message);
        }
    }

    private static string NoRequestsLogged(string model, TimeSpan window) =>
        $"no requests to '{model}' were logged in the last {InputContractCheck.Describe(window)}";

    private static async Task<GateResult> Guard(string gate, string name, Func<Task<GateResult>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new GateResult(gate, name, GateOutcome.Failed, $"the {gate} gate could not run: {e.Message}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover download in the temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
