using System.Collections.Concurrent;
using System.Globalization;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Serving.Hosting;

namespace Slipway.Deploy.Canary;

/// <summary>
/// Judges the canaries a <see cref="ModelHost"/> serves and ends them. The serving path feeds it each routed request
/// (as the host's <see cref="ITrafficObserver"/>: per split and variant, requests, non-2xx errors and a latency
/// histogram); every <see cref="CanaryControllerOptions.Interval"/> each running canary is judged by its split's
/// <see cref="CanaryPolicy"/> (<see cref="CanaryJudge"/>) and, when the verdict is to promote or roll back, the split
/// is concluded through <see cref="IDeploymentService.ConcludeSplitAsync"/> with the evidence as the reason. A canary
/// whose version failed to load is rolled back at once. Several serving nodes may decide the same split: the store
/// accepts the first conclusion and rejects the others with <c>INVALID_STATE</c>, which here means "decided elsewhere".
/// Shadows are never decided automatically; their comparison counts are in <see cref="GetStatistics"/>.
/// </summary>
public sealed class CanaryController : ITrafficObserver, IAsyncDisposable
{
    private readonly ModelHost host;
    private readonly IDeploymentService deployments;
    private readonly CanaryControllerOptions options;

    // Keyed by the served model object (reference equality): one entry per served alias, found without hashing strings.
    private readonly ConcurrentDictionary<ServedModel, SplitWindow> windows = new();
    private readonly CancellationTokenSource stopping = new();
    private ITimer? timer;
    private Task running = Task.CompletedTask;
    private int ticking;
    private int disposed;

    /// <summary>Creates the controller; it judges nothing until <see cref="Start"/>.</summary>
    public CanaryController(ModelHost host, IDeploymentService deployments, CanaryControllerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(deployments);
        this.host = host;
        this.deployments = deployments;
        this.options = options ?? new CanaryControllerOptions();
    }

    /// <summary>Starts judging every <see cref="CanaryControllerOptions.Interval"/>.</summary>
    public void Start()
    {
        if (timer is not null)
        {
            throw new InvalidOperationException("the canary controller is already started.");
        }

        timer = options.Time.CreateTimer(static state => ((CanaryController)state!).OnTimer(), this, options.Interval, options.Interval);
    }

    /// <inheritdoc />
    public void RequestAnswered(ServedModel model, long splitId, TrafficVariant variant, int status, double seconds)
    {
        var window = WindowFor(model, splitId);
        if (window is null)
        {
            return;
        }

        (variant == TrafficVariant.Canary ? window.Canary : window.Stable).Record(status, seconds);
    }

    /// <inheritdoc />
    public void ShadowScored(ServedModel model, long splitId, ShadowResult result) => WindowFor(model, splitId)?.Shadow.Record(result);

    /// <summary>The running split of the model served as <paramref name="name"/>, its counts here and its verdict now; null when none runs.</summary>
    public SplitStatistics? GetStatistics(string name)
    {
        if (host.Find(name) is not { Split: { } split } model)
        {
            return null;
        }

        var window = windows.TryGetValue(model, out var found) && found.PromotionId == split.PromotionId ? found : null;
        var stable = window?.Stable.Snapshot() ?? VariantSnapshot.Empty;
        var canary = window?.Canary.Snapshot() ?? VariantSnapshot.Empty;
        var verdict = split.State.CanaryVersion is null ? null : Verdict(model, split.State, stable, canary);
        return new SplitStatistics(split.State, stable, canary, window?.Shadow.Snapshot() ?? ShadowSnapshot.Empty, verdict);
    }

    /// <summary>
    /// Judges every running canary once and concludes those whose verdict is to promote or roll back; returns what was
    /// decided. The timer calls this; tests may too.
    /// </summary>
    public async Task<IReadOnlyList<CanaryEvent>> TickAsync(CancellationToken cancellationToken)
    {
        var events = new List<CanaryEvent>();
        foreach (var model in host.Models)
        {
            if (model.Split is not { } split || split.State.CanaryVersion is null)
            {
                continue;
            }

            var state = split.State;
            var window = WindowFor(model, state.PromotionId);
            if (window is null || window.Concluded)
            {
                continue;
            }

            var verdict = Verdict(model, state, window.Stable.Snapshot(), window.Canary.Snapshot());
            if (verdict.Decision == CanaryDecision.Wait || !window.TryConclude())
            {
                continue;
            }

            var promote = verdict.Decision == CanaryDecision.Promote;
            CanaryEvent decided;
            try
            {
                await deployments.ConcludeSplitAsync(new SplitConclusion(model.Name, model.Alias, state.PromotionId, promote, verdict.Reason), cancellationToken).ConfigureAwait(false);
                decided = new CanaryEvent(model.Name, model.Alias, state.PromotionId, verdict.Decision, verdict.Reason, CanaryEventOutcome.Concluded);
            }
            catch (RegistryException e) when (e.Code == RegistryErrorCode.InvalidState)
            {
                // Another serving node (or a person) ended this split first; its decision stands.
                decided = new CanaryEvent(model.Name, model.Alias, state.PromotionId, verdict.Decision, verdict.Reason, CanaryEventOutcome.DecidedElsewhere, e);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                window.Reopen();
                throw;
            }
#pragma warning disable CA1031 // A decision that could not be recorded (registry unreachable) is tried again on the next tick.
            catch (Exception e)
#pragma warning restore CA1031
            {
                window.Reopen();
                decided = new CanaryEvent(model.Name, model.Alias, state.PromotionId, verdict.Decision, verdict.Reason, CanaryEventOutcome.Failed, e);
            }

            events.Add(decided);
            options.Events?.Invoke(decided);
        }

        return events;
    }

    /// <summary>Stops the timer and waits for a decision in progress. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Volatile.Read(ref running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private CanaryVerdict Verdict(ServedModel model, DeploymentState state, VariantSnapshot stable, VariantSnapshot canary)
    {
        var version = state.CanaryVersion?.ToString(CultureInfo.InvariantCulture);
        if (model.CanaryFailure is { } failure && failure.Version == version)
        {
            var reason = $"canary version {version} failed to load: {failure.Message}";
            return state.Policy.AutoRollback
                ? new CanaryVerdict(CanaryDecision.RollBack, reason)
                : new CanaryVerdict(CanaryDecision.Wait, reason + "; automatic rollback is off");
        }

        var elapsed = TimeSpan.FromMilliseconds(Math.Max(0, options.Time.GetUtcNow().ToUnixTimeMilliseconds() - state.StartedAt));
        return CanaryJudge.Judge(state.Policy, stable, canary, elapsed, options.LatencyFloor);
    }

    /// <summary>The counts of split <paramref name="splitId"/>; a newer split replaces an older one; null for a stale id.</summary>
    private SplitWindow? WindowFor(ServedModel model, long splitId)
    {
        if (windows.TryGetValue(model, out var window) && window.PromotionId == splitId)
        {
            return window;
        }

        // Promotion ids increase: a newer split starts a fresh window; a request routed by an older one is not counted.
        window = windows.AddOrUpdate(
            model,
            static (_, id) => new SplitWindow(id),
            static (_, old, id) => old.PromotionId < id ? new SplitWindow(id) : old,
            splitId);
        return window.PromotionId == splitId ? window : null;
    }

    private void OnTimer()
    {
        if (Interlocked.Exchange(ref ticking, 1) != 0 || stopping.IsCancellationRequested)
        {
            return;
        }

        Volatile.Write(ref running, RunTickAsync());
    }

    private async Task RunTickAsync()
    {
        try
        {
            await TickAsync(stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref ticking, 0);
        }
    }
}
