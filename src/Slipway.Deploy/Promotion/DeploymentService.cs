using System.Globalization;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Deploy.Contracts;
using Slipway.Deploy.Gates;

namespace Slipway.Deploy.Promotion;

/// <summary>
/// Moves protected aliases in-process (embedded mode and the server): runs the alias's gate policy before a promotion,
/// checks the input contract before a rollback, starts and ends canaries and shadows, and records every attempt with
/// its event in the same transaction as the alias move.
/// </summary>
public sealed class DeploymentService : IDeploymentService
{
    /// <summary>Largest page of promotion records.</summary>
    public const int MaxPromotionResults = 1_000;

    private readonly IModelRegistry _registry;
    private readonly IDeploymentStore _store;
    private readonly IExperimentTracker? _tracker;
    private readonly string? _monitoringDirectory;
    private readonly TimeProvider _time;
    private readonly Func<string> _currentUser;

    /// <summary>Creates the service.</summary>
    /// <param name="registry">The registry whose aliases it moves (reads versions, packages and metrics).</param>
    /// <param name="store">Policies, promotion records and splits; the same database as the registry.</param>
    /// <param name="tracker">Run metrics for metric gates; null when not available.</param>
    /// <param name="monitoringDirectory">The inference log of served traffic for the input checks; null when there is none.</param>
    /// <param name="time">Clock for records and windows.</param>
    /// <param name="currentUser">Who is calling; read on every call.</param>
    public DeploymentService(IModelRegistry registry, IDeploymentStore store, IExperimentTracker? tracker, string? monitoringDirectory, TimeProvider time, Func<string> currentUser)
    {
        _registry = registry;
        _store = store;
        _tracker = tracker;
        _monitoringDirectory = monitoringDirectory;
        _time = time;
        _currentUser = currentUser;
    }

    /// <inheritdoc />
    public async Task<GatePolicyRevision> SetPolicyAsync(string name, string alias, string document, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.Alias(alias);
        RegistryValidation.Required(document, "document");
        var policy = ParsePolicy(document);
        _ = await _registry.GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false);
        return await _store.AddGatePolicyAsync(name, alias, document, policy.Protected, _currentUser(), Now(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<GatePolicyRevision> GetPolicyAsync(string name, string alias, long? revision, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.Alias(alias);
        if (revision is { } r)
        {
            RegistryValidation.Version(r, "revision");
        }

        _ = await _registry.GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false);
        return await _store.GetGatePolicyAsync(name, alias, revision, cancellationToken).ConfigureAwait(false)
            ?? throw RegistryException.NotFound(revision is null
                ? $"alias '{alias}' of model {name} has no gate policy."
                : FormattableString.Invariant($"alias '{alias}' of model {name} has no gate policy revision {revision}."));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GatePolicyRevision>> GetPolicyHistoryAsync(string name, string? alias, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        return _store.ListGatePoliciesAsync(name, string.IsNullOrEmpty(alias) ? null : RegistryValidation.Alias(alias), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<PromotionRecord> PromoteAsync(PromotionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RegistryValidation.ModelName(request.Name);
        RegistryValidation.Alias(request.Alias);
        RegistryValidation.Version(request.Version);
        if (request.Share is { } share && (double.IsNaN(share) || share <= 0 || share > 1))
        {
            throw RegistryException.Invalid(FormattableString.Invariant($"'share' must be above 0 and at most 1 (a fraction of requests), got {share}."));
        }

        if (request.Mode == PromotionMode.Direct && (request.Share is not null || !string.IsNullOrEmpty(request.StickyKey)))
        {
            throw RegistryException.Invalid("'share' and 'sticky_key' apply only to a canary or shadow promotion ('mode').");
        }

        if (!string.IsNullOrEmpty(request.StickyKey) && !IsHeaderName(request.StickyKey))
        {
            throw RegistryException.Invalid($"'sticky_key' must be an HTTP header name, got '{request.StickyKey}'.");
        }

        var candidate = await _registry.GetModelVersionAsync(request.Name, request.Version, cancellationToken).ConfigureAwait(false);
        if (candidate.Status != ModelVersionStatus.Ready)
        {
            throw new RegistryException(RegistryErrorCode.InvalidState, FormattableString.Invariant($"version {candidate.Version} of model {candidate.Name} is {candidate.Status}, not READY."));
        }

        var current = await CurrentTargetAsync(request.Name, request.Alias, cancellationToken).ConfigureAwait(false);
        if (current?.Version == candidate.Version)
        {
            throw new RegistryException(RegistryErrorCode.InvalidState, FormattableString.Invariant($"alias '{request.Alias}' of model {request.Name} already points to version {candidate.Version}."));
        }

        if (request.Mode != PromotionMode.Direct && current is null)
        {
            throw new RegistryException(
                RegistryErrorCode.InvalidState,
                $"alias '{request.Alias}' of model {request.Name} points to no version yet: a canary or shadow needs a stable version to run beside; promote directly first.");
        }

        if (!request.DryRun && await _store.GetDeploymentAsync(request.Name, request.Alias, cancellationToken).ConfigureAwait(false) is { } running)
        {
            throw new RegistryException(
                RegistryErrorCode.InvalidState,
                FormattableString.Invariant($"alias '{request.Alias}' of model {request.Name} runs a canary or shadow (promotion {running.PromotionId}): promote or stop it first."));
        }

        var (revision, policy) = await PolicyOfAsync(request.Name, request.Alias, cancellationToken).ConfigureAwait(false);
        var run = await new GateRunner(_registry, _tracker, _monitoringDirectory, _time)
            .RunAsync(policy, request.Alias, candidate, current, cancellationToken).ConfigureAwait(false);

        var outcome = (run.Passed, request.DryRun, request.Mode) switch
        {
            (_, true, _) => PromotionOutcome.DryRun,
            (false, _, _) => PromotionOutcome.Failed,
            (true, _, PromotionMode.Direct) => PromotionOutcome.Passed,
            _ => PromotionOutcome.CanaryStarted,
        };
        var record = NewRecord(request.Name, request.Alias, PromotionKind.Promote, current?.Version, candidate.Version, revision?.Revision, outcome, request.Reason) with
        {
            Gates = run.Results,
            Problems = run.Problems,
        };
        var effects = outcome switch
        {
            PromotionOutcome.Passed => new PromotionEffects(MoveAlias: true),
            PromotionOutcome.CanaryStarted => new PromotionEffects(MoveAlias: false, StartSplit: Split(request, candidate.Version, policy)),
            _ => PromotionEffects.RecordOnly,
        };
        return await _store.RecordPromotionAsync(record, effects, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PromotionRecord> RollbackAsync(RollbackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RegistryValidation.ModelName(request.Name);
        RegistryValidation.Alias(request.Alias);
        if (request.ToVersion is { } to)
        {
            RegistryValidation.Version(to, "to_version");
        }

        var current = await CurrentTargetAsync(request.Name, request.Alias, cancellationToken).ConfigureAwait(false)
            ?? throw RegistryException.NotFound($"alias '{request.Alias}' of model {request.Name} points to no version: there is nothing to roll back.");
        var targetVersion = request.ToVersion ?? await PreviousTargetAsync(request.Name, request.Alias, current.Version, cancellationToken).ConfigureAwait(false);
        if (targetVersion == current.Version)
        {
            throw new RegistryException(RegistryErrorCode.InvalidState, FormattableString.Invariant($"alias '{request.Alias}' of model {request.Name} already points to version {targetVersion}."));
        }

        var target = await _registry.GetModelVersionAsync(request.Name, targetVersion, cancellationToken).ConfigureAwait(false);
        if (target.Status != ModelVersionStatus.Ready)
        {
            throw new RegistryException(RegistryErrorCode.InvalidState, FormattableString.Invariant($"version {target.Version} of model {target.Name} is {target.Status}, not READY."));
        }

        var (revision, policy) = await PolicyOfAsync(request.Name, request.Alias, cancellationToken).ConfigureAwait(false);
        var problems = await new InputContractCheck(_registry, _monitoringDirectory, _time)
            .CheckAsync(target, current, policy.RecentInputs, cancellationToken).ConfigureAwait(false);
        var outcome = problems.Count == 0 ? PromotionOutcome.Passed : request.Force ? PromotionOutcome.Forced : PromotionOutcome.Failed;
        var reason = outcome == PromotionOutcome.Forced && string.IsNullOrEmpty(request.Reason)
            ? "forced past the input-contract check"
            : request.Reason;
        var record = NewRecord(request.Name, request.Alias, PromotionKind.Rollback, current.Version, target.Version, revision?.Revision, outcome, reason) with
        {
            Problems = problems,
        };

        // A rollback also ends a running canary or shadow: traffic goes back to one known version.
        var split = outcome == PromotionOutcome.Failed ? null : await _store.GetDeploymentAsync(request.Name, request.Alias, cancellationToken).ConfigureAwait(false);
        var effects = outcome == PromotionOutcome.Failed
            ? PromotionEffects.RecordOnly
            : new PromotionEffects(MoveAlias: true, EndSplitOf: split?.PromotionId);
        return await _store.RecordPromotionAsync(record, effects, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PromotionRecord> ConcludeSplitAsync(SplitConclusion conclusion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conclusion);
        RegistryValidation.ModelName(conclusion.Name);
        RegistryValidation.Alias(conclusion.Alias);
        var split = await _store.GetDeploymentAsync(conclusion.Name, conclusion.Alias, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorCode.InvalidState, $"alias '{conclusion.Alias}' of model {conclusion.Name} has no canary or shadow running.");
        if (split.PromotionId != conclusion.PromotionId)
        {
            throw new RegistryException(
                RegistryErrorCode.InvalidState,
                FormattableString.Invariant($"alias '{conclusion.Alias}' of model {conclusion.Name} runs the split of promotion {split.PromotionId}, not {conclusion.PromotionId}."));
        }

        var current = await CurrentTargetAsync(conclusion.Name, conclusion.Alias, cancellationToken).ConfigureAwait(false);
        var version = split.CanaryVersion ?? split.ShadowVersion
            ?? throw new InvalidDataException(FormattableString.Invariant($"the split of promotion {split.PromotionId} names no version."));
        var (revision, _) = await PolicyOfAsync(conclusion.Name, conclusion.Alias, cancellationToken).ConfigureAwait(false);
        var record = NewRecord(
            conclusion.Name,
            conclusion.Alias,
            conclusion.Promote ? PromotionKind.CanaryPromote : PromotionKind.CanaryRollback,
            current?.Version,
            version,
            revision?.Revision,
            PromotionOutcome.Passed,
            conclusion.Reason);
        return await _store.RecordPromotionAsync(record, new PromotionEffects(MoveAlias: conclusion.Promote, EndSplitOf: split.PromotionId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PromotionRecord>> GetPromotionsAsync(string name, string? alias, int maxResults, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        return _store.ListPromotionsAsync(
            name,
            string.IsNullOrEmpty(alias) ? null : RegistryValidation.Alias(alias),
            RegistryValidation.MaxResults(maxResults, MaxPromotionResults),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<DeploymentState?> GetDeploymentAsync(string name, string alias, CancellationToken cancellationToken)
    {
        RegistryValidation.ModelName(name);
        RegistryValidation.Alias(alias);
        return _store.GetDeploymentAsync(name, alias, cancellationToken);
    }

    /// <summary>Parses a policy document, turning its errors into 400s that name the field.</summary>
    internal static GatePolicy ParsePolicy(string document)
    {
        try
        {
            return GatePolicy.Parse(document);
        }
        catch (GatePolicyException e)
        {
            throw RegistryException.Invalid("'document': " + e.Message);
        }
    }

    private DeploymentState Split(PromotionRequest request, long version, GatePolicy policy)
    {
        var canary = request.Mode == PromotionMode.Canary;
        return new DeploymentState(
            request.Name,
            request.Alias,
            canary ? version : null,
            canary ? request.Share ?? policy.CanaryWeight : 0,
            request.StickyKey ?? (canary ? policy.StickyKey : string.Empty),
            canary ? null : version,
            canary ? 0 : request.Share ?? policy.ShadowShare,
            policy.Canary,
            StartedAt: Now(),
            PromotionId: 0);
    }

    private static bool IsHeaderName(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return name.Length is > 0 and <= 100;
    }

    private async Task<(GatePolicyRevision? Revision, GatePolicy Policy)> PolicyOfAsync(string name, string alias, CancellationToken cancellationToken)
    {
        var revision = await _store.GetGatePolicyAsync(name, alias, null, cancellationToken).ConfigureAwait(false);
        return (revision, revision is null ? GatePolicy.Default : ParsePolicy(revision.Document));
    }

    private async Task<ModelVersion?> CurrentTargetAsync(string name, string alias, CancellationToken cancellationToken)
    {
        _ = await _registry.GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            return await _registry.GetModelVersionByAliasAsync(name, alias, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <summary>The version the alias pointed to before it moved to <paramref name="current"/> (the newest such move).</summary>
    private async Task<long> PreviousTargetAsync(string name, string alias, long current, CancellationToken cancellationToken)
    {
        var history = await _registry.GetAliasHistoryAsync(name, alias, cancellationToken).ConfigureAwait(false);
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (history[i].ToVersion == current && history[i].FromVersion is { } from && from != current)
            {
                return from;
            }
        }

        throw RegistryException.NotFound(string.Create(
            CultureInfo.InvariantCulture,
            $"alias '{alias}' of model {name} has pointed to no other version before {current}: give the version to roll back to ('to_version')."));
    }

    private PromotionRecord NewRecord(string name, string alias, PromotionKind kind, long? from, long to, long? revision, PromotionOutcome outcome, string reason) =>
        new(0, name, alias, kind, from, to, revision, outcome, [], [], _currentUser(), reason ?? string.Empty, Now());

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
