using System.Globalization;
using Slipway.Core.Registry;

namespace Slipway.Serving.Hosting;

/// <summary>
/// One model a <see cref="ModelHost"/> serves under its registered name: the live version (swapped atomically when an
/// alias moves), its queue and counters, and what went wrong last.
/// </summary>
public sealed partial class ServedModel
{
    private readonly ModelHost host;
    private readonly BatchCounters counters = new();
    private readonly Lock statusLock = new();
    private volatile LoadedVersion? live;
    private volatile TrafficSplit? split;
    private volatile VersionFailure? canaryFailure;
    private string? rejectedCanary;
    private string? rejectedShadow;
    private DateTimeOffset? lastSwap;
    private long swaps;
    private VersionFailure? lastFailure;
    private long failures;
    private string? rejectedVersion;

    internal ServedModel(ModelHost host, ServedModelOptions options)
    {
        this.host = host;
        Options = options;
    }

    /// <summary>The name requests address it by: the registered model name.</summary>
    public string Name => Options.Uri.Name;

    /// <summary>Its options.</summary>
    public ServedModelOptions Options { get; }

    /// <summary>The alias it follows (<c>champion</c> for <c>models:/NAME@champion</c>), or empty for a pinned version.</summary>
    public string Alias => Options.Uri.Alias ?? string.Empty;

    /// <summary>The live version's contract, or null before the first version is live.</summary>
    public ModelContract? Contract => live?.Contract;

    /// <summary>Whether a version is live.</summary>
    public bool IsLoaded => live is not null;

    /// <summary>
    /// The alias's traffic split now (canary and shadow), or null when the alias serves its target alone or no
    /// <see cref="ModelHostOptions.Splits"/> source is set.
    /// </summary>
    public TrafficSplit? Split => split;

    /// <summary>
    /// Why the running split's canary version could not be loaded (it is then not routed to), or null when it loaded or
    /// there is no canary.
    /// </summary>
    public VersionFailure? CanaryFailure => canaryFailure;

    /// <summary>
    /// Whether the queue is full now: endpoints check it before reading a request body so that overload is refused
    /// without buffering (the queue itself still enforces the bound). With a limit of 0 nothing may wait, but a request
    /// that finds a run free still runs, so this reports false.
    /// </summary>
    public bool IsQueueFull => Options.QueueLimit > 0 && counters.Queued >= Options.QueueLimit;

    /// <summary>The <see cref="ScoringException"/> for a full queue (429 with <c>Retry-After: 1</c>); counts the rejection.</summary>
    public ScoringException Overloaded()
    {
        counters.Rejected();
        return ScoringException.Overloaded($"model '{Name}' has {Options.QueueLimit} requests waiting; retry later.", 1);
    }

    /// <summary>
    /// Leases the live version. Dispose the lease when the request is answered.
    /// </summary>
    /// <exception cref="ScoringException">503 when no version is live yet or the host is stopping.</exception>
    public ModelLease Acquire()
    {
        host.EnterRequest();
        try
        {
            while (true)
            {
                var current = live ?? throw ScoringException.Unavailable($"model '{Name}' is not loaded yet.", 1);
                if (current.TryAddReference())
                {
                    return new ModelLease(host, this, current);
                }

                // Released between the read and the reference: a swap happened; the next read sees the new version.
            }
        }
        catch
        {
            host.ExitRequest();
            throw;
        }
    }

    /// <summary>
    /// Leases the live version if it is <paramref name="version"/>, or the running canary when that is
    /// <paramref name="version"/> (a caller may address a canary explicitly).
    /// </summary>
    /// <exception cref="ScoringException">404 when neither is that version; 503 as <see cref="Acquire()"/>.</exception>
    public ModelLease Acquire(string version)
    {
        var current = split;
        if (current?.Canary is { } canary && string.Equals(canary.Contract.Version, version, StringComparison.Ordinal))
        {
            host.EnterRequest();
            if (canary.TryAddReference())
            {
                return new ModelLease(host, this, canary, TrafficVariant.Canary, current.PromotionId);
            }

            // The split ended meanwhile: the version may have become the live one; the stable path below says.
            host.ExitRequest();
        }

        var lease = Acquire();
        if (!string.Equals(lease.Contract.Version, version, StringComparison.Ordinal))
        {
            lease.Dispose();
            throw ScoringException.NotFound($"model '{Name}' version '{version}' is not served; version {lease.Contract.Version} is.");
        }

        return lease;
    }

    /// <summary>Leases the live version and scores <paramref name="request"/> on it.</summary>
    public async ValueTask<InferenceResult> ScoreAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        using var lease = Acquire();
        return await lease.RunAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A snapshot of the live version, swaps, failures and batch counters.</summary>
    public ServedModelStatus GetStatus()
    {
        var current = live;
        lock (statusLock)
        {
            return new ServedModelStatus(
                Name,
                Options.Uri.ToString(),
                current?.Contract.Version,
                current is not null && !host.IsStopping,
                lastSwap,
                swaps,
                lastFailure,
                failures,
                counters.Snapshot());
        }
    }

    /// <summary>Loads the first version, then follows the alias (or retries a failed first load) every poll interval.</summary>
    internal async Task FollowAsync(IModelRegistry registry, CancellationToken cancellationToken)
    {
        var interval = host.Options.PollInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await CheckOnceAsync(registry, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A registry that cannot be reached now is asked again at the next poll.
            catch (Exception e) when (live is null)
#pragma warning restore CA1031
            {
                // Before anything is live the failure is the model's state: show it.
                RecordFailure(Options.Uri.ToString(), e.Message, e, countIt: false);
            }
#pragma warning disable CA1031 // While a version is live, a failed poll just keeps it; the next poll tries again.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            if (interval <= TimeSpan.Zero || (Options.Uri.Alias is null && live is not null))
            {
                return;
            }

            try
            {
                await Task.Delay(interval, host.Options.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Resolves the URI once and loads the version it names if it is new and was not rejected before; then, for an alias
    /// with a <see cref="ModelHostOptions.Splits"/> source, follows its traffic split.
    /// </summary>
    internal async Task CheckOnceAsync(IModelRegistry registry, CancellationToken cancellationToken)
    {
        var uri = Options.Uri;

        // The split is read before the alias: a promotion moves the alias and ends the split at once, and whichever of
        // the two reads sees it, the canary is still held here when the alias is found on its version, so it goes live
        // as it is (a split read before the promotion lingers one poll more, routing its share to that same version).
        Core.Deployment.DeploymentState? state = null;
        var splitRead = false;
        if (uri.Alias is { } splitAlias && host.Options.Splits is { } splits)
        {
            try
            {
                state = await splits(uri.Name, splitAlias, cancellationToken).ConfigureAwait(false);
                splitRead = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A split that cannot be read now stays as it is; following the alias must not depend on it.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
        var target = uri.Alias is { } alias
            ? await registry.GetModelVersionByAliasAsync(uri.Name, alias, cancellationToken).ConfigureAwait(false)
            : await registry.GetModelVersionAsync(uri.Name, uri.Version!.Value, cancellationToken).ConfigureAwait(false);
        var version = target.Version.ToString(CultureInfo.InvariantCulture);

        // Versions are immutable: one that failed validation would fail again.
        if (!string.Equals(live?.Contract.Version, version, StringComparison.Ordinal)
            && !string.Equals(Volatile.Read(ref rejectedVersion), version, StringComparison.Ordinal)
            && !TryPromoteCanary(version))
        {
            await LoadAsync(registry, target, version, cancellationToken).ConfigureAwait(false);
        }

        if (splitRead)
        {
            await FollowSplitAsync(registry, state, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops the host's reference to the live version at shutdown; its runtime goes with the last lease.</summary>
    internal void Retire()
    {
#pragma warning disable CS0420 // Interlocked operations on a volatile field are safe.
        Interlocked.Exchange(ref split, null)?.Release();
        Interlocked.Exchange(ref live, null)?.Release();
#pragma warning restore CS0420
    }

    private async Task LoadAsync(IModelRegistry registry, ModelVersion target, string version, CancellationToken cancellationToken)
    {
        var loaded = await TryLoadAsync(registry, target, version, counters, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            Volatile.Write(ref rejectedVersion, version);
            return;
        }

        if (host.IsStopping)
        {
            loaded.Release();
            return;
        }

        GoLive(loaded, version);
    }

    /// <summary>The swap: one reference exchange. Requests that leased the old version finish on it; it is disposed after them.</summary>
    private void GoLive(LoadedVersion loaded, string version)
    {
#pragma warning disable CS0420 // Interlocked operations on a volatile field are safe.
        var old = Interlocked.Exchange(ref live, loaded);
#pragma warning restore CS0420
        lock (statusLock)
        {
            lastSwap = host.Options.Time.GetUtcNow();
            swaps++;
        }

        old?.Release();
        host.Options.Events?.Invoke(new ModelHostEvent(Name, version, Live: true, Message: null));
        host.OnVersionLive();
    }

    /// <summary>Downloads (through the cache), loads and validates a version; null when any step failed (reported).</summary>
    private async Task<LoadedVersion?> TryLoadAsync(
        IModelRegistry registry,
        ModelVersion target,
        string version,
        BatchCounters batchCounters,
        CancellationToken cancellationToken,
        TrafficVariant role = TrafficVariant.Stable)
    {
        try
        {
            if (target.Status != ModelVersionStatus.Ready)
            {
                throw RegistryException.Invalid($"version {version} is {target.Status}, not ready.");
            }

            var directory = await host.Cache.GetAsync(registry, target, cancellationToken).ConfigureAwait(false);
            var runtime = host.Options.Loader(directory, Name, version, Options.Runtime);
            try
            {
                Validate(runtime);
            }
            catch
            {
                runtime.Dispose();
                throw;
            }

            return new LoadedVersion(runtime, new MicroBatcher(runtime, Options, batchCounters, host.Options.Time, host.Options.Observer));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever breaks a new version, the live one keeps serving; the failure is reported.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var what = role == TrafficVariant.Stable ? "version" : $"{role.ToString().ToLowerInvariant()} version";
            RecordFailure(version, $"{what} {version} was not loaded: {e.Message}", e, countIt: true, role);
            return null;
        }
    }

    private void Validate(Runtimes.IModelRuntime runtime)
    {
        var contract = runtime.Contract;
        var binder = host.Options.ExampleBinder;
        if (binder is null || binder(contract) is not { } request)
        {
            return;
        }

        // The warm-up run: the first inference pays for lazy initialisation, and a model that cannot score its own
        // example must not go live.
        var outputs = runtime.Run(request);
        if (outputs.Count == 0)
        {
            throw new InvalidDataException("the input example produced no outputs.");
        }

        if (contract.IsBatchable)
        {
            foreach (var output in outputs)
            {
                if (output.Rows != request.Rows)
                {
                    throw new InvalidDataException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"output '{output.Name}' has {output.Rows} rows for the input example's {request.Rows}."));
                }
            }
        }
    }

    private void RecordFailure(string version, string message, Exception exception, bool countIt, TrafficVariant role = TrafficVariant.Stable)
    {
        lock (statusLock)
        {
            lastFailure = new VersionFailure(version, message, host.Options.Time.GetUtcNow());
            if (countIt)
            {
                failures++;
            }
        }

        if (countIt)
        {
            host.Options.Events?.Invoke(new ModelHostEvent(Name, version, Live: false, message, exception, role));
        }
    }
}
