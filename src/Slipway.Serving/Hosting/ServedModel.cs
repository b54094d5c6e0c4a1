using System.Globalization;
using Slipway.Core.Registry;

namespace Slipway.Serving.Hosting;

/// <summary>
/// One model a <see cref="ModelHost"/> serves under its registered name: the live version (swapped atomically when an
/// alias moves), its queue and counters, and what went wrong last.
/// </summary>
public sealed class ServedModel
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

    /// <summary>
    /// Leases the version that should answer this request under the alias's traffic split: the canary for its share
    /// (chosen by <paramref name="stickyValue"/>'s hash when the split is sticky and the value is given, else at
    /// random), otherwise the live version. Without a split this is <see cref="Acquire()"/>.
    /// </summary>
    /// <param name="stickyValue">The value of the request's <see cref="TrafficSplit.StickyKey"/> header, or null.</param>
    /// <exception cref="ScoringException">503 when no version is live yet or the host is stopping.</exception>
    public ModelLease AcquireRouted(string? stickyValue)
    {
        var current = split;
        if (current is null)
        {
            return Acquire();
        }

        host.EnterRequest();
        try
        {
            while (true)
            {
                if (current is not null && current.ChooseCanary(stickyValue) && current.Canary!.TryAddReference())
                {
                    return new ModelLease(host, this, current.Canary, TrafficVariant.Canary, current.PromotionId);
                }

                var stable = live ?? throw ScoringException.Unavailable($"model '{Name}' is not loaded yet.", 1);
                if (stable.TryAddReference())
                {
                    return new ModelLease(host, this, stable, TrafficVariant.Stable, current?.PromotionId ?? 0);
                }

                // A swap or a split change happened between the reads: route again on what is current now.
                current = split;
            }
        }
        catch
        {
            host.ExitRequest();
            throw;
        }
    }

    /// <summary>
    /// Leases <paramref name="from"/>'s shadow version for a mirrored request, or returns null when it has none, the
    /// split already ended or the host is stopping (a mirror is never worth an error).
    /// </summary>
    public ModelLease? TryAcquireShadow(TrafficSplit from)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (from.Shadow is not { } shadow || host.IsStopping)
        {
            return null;
        }

        try
        {
            host.EnterRequest();
        }
        catch (ScoringException)
        {
            return null;
        }

        if (shadow.TryAddReference())
        {
            return new ModelLease(host, this, shadow, TrafficVariant.Shadow, from.PromotionId);
        }

        host.ExitRequest();
        return null;
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

    /// <summary>
    /// The alias moved to the running canary's version (a promotion): the loaded canary goes live as it is, without a
    /// second download, load and validation. False when the canary is not that version.
    /// </summary>
    private bool TryPromoteCanary(string version)
    {
        var canary = split?.Canary;
        if (canary is null || !string.Equals(canary.Contract.Version, version, StringComparison.Ordinal) || host.IsStopping || !canary.TryAddReference())
        {
            return false;
        }

        GoLive(canary, version);
        return true;
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

    /// <summary>
    /// Applies the alias's split as the store has it now: loads a new canary or shadow version (validated like a live
    /// one; one that fails is reported and not routed to), keeps versions already loaded, and releases those the split
    /// no longer names. A split that did not change costs one comparison.
    /// </summary>
    private async Task FollowSplitAsync(IModelRegistry registry, Core.Deployment.DeploymentState? state, CancellationToken cancellationToken)
    {
        var current = split;
        if (state is null)
        {
            if (current is not null)
            {
#pragma warning disable CS0420 // Interlocked operations on a volatile field are safe.
                Interlocked.Exchange(ref split, null)?.Release();
#pragma warning restore CS0420
            }

            rejectedCanary = null;
            rejectedShadow = null;
            canaryFailure = null;
            return;
        }

        if (current is not null && current.State == state)
        {
            return;
        }

        if (canaryFailure is { } failure && state.CanaryVersion?.ToString(CultureInfo.InvariantCulture) != failure.Version)
        {
            canaryFailure = null;
        }

        LoadedVersion? canary = null;
        LoadedVersion? shadow = null;
        try
        {
            canary = await SplitVersionAsync(registry, state.CanaryVersion, current?.Canary, TrafficVariant.Canary, cancellationToken).ConfigureAwait(false);
            shadow = await SplitVersionAsync(registry, state.ShadowVersion, current?.Shadow, TrafficVariant.Shadow, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            canary?.Release();
            shadow?.Release();
            throw;
        }

        var next = new TrafficSplit(state, canary, shadow);
        if (host.IsStopping)
        {
            next.Release();
            return;
        }

#pragma warning disable CS0420 // Interlocked operations on a volatile field are safe.
        var old = Interlocked.Exchange(ref split, next);
#pragma warning restore CS0420
        old?.Release();
        if (canary is not null && !ReferenceEquals(canary, old?.Canary))
        {
            host.Options.Events?.Invoke(new ModelHostEvent(Name, canary.Contract.Version, Live: true, Message: null, Variant: TrafficVariant.Canary));
        }

        if (shadow is not null && !ReferenceEquals(shadow, old?.Shadow))
        {
            host.Options.Events?.Invoke(new ModelHostEvent(Name, shadow.Contract.Version, Live: true, Message: null, Variant: TrafficVariant.Shadow));
        }
    }

    /// <summary>
    /// A reference on the split's <paramref name="role"/> version: the one already loaded (or, for a canary, the live
    /// version when it is the same), or a new load; null when there is none or it failed to load (reported once).
    /// </summary>
    private async Task<LoadedVersion?> SplitVersionAsync(IModelRegistry registry, long? wanted, LoadedVersion? loaded, TrafficVariant role, CancellationToken cancellationToken)
    {
        if (wanted is not { } number)
        {
            return null;
        }

        var version = number.ToString(CultureInfo.InvariantCulture);
        if (loaded is not null && string.Equals(loaded.Contract.Version, version, StringComparison.Ordinal) && loaded.TryAddReference())
        {
            return loaded;
        }

        // A canary shares the live version's queue and counters, so the live version itself can stand in for it. A shadow
        // never does: mirrored load must not fill the queue callers wait in.
        if (role == TrafficVariant.Canary && live is { } stable && string.Equals(stable.Contract.Version, version, StringComparison.Ordinal) && stable.TryAddReference())
        {
            return stable;
        }

        var rejected = role == TrafficVariant.Canary ? rejectedCanary : rejectedShadow;
        if (string.Equals(rejected, version, StringComparison.Ordinal))
        {
            return null;
        }

        var target = await registry.GetModelVersionAsync(Name, number, cancellationToken).ConfigureAwait(false);
        var result = await TryLoadAsync(registry, target, version, role == TrafficVariant.Canary ? counters : new BatchCounters(), cancellationToken, role).ConfigureAwait(false);
        if (result is null)
        {
            if (role == TrafficVariant.Canary)
            {
                rejectedCanary = version;
                lock (statusLock)
                {
                    canaryFailure = lastFailure;
                }
            }
            else
            {
                rejectedShadow = version;
            }
        }

        return result;
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
