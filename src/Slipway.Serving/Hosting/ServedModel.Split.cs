using System.Globalization;
using Slipway.Core.Registry;

namespace Slipway.Serving.Hosting;

/// <summary>A served alias's traffic split: routing requests to the canary, mirroring to the shadow, following the split.</summary>
public sealed partial class ServedModel
{
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
}
