using Slipway.Core.Deployment;
using Slipway.Core.Registry;

namespace Slipway.Deploy.Contracts;

/// <summary>
/// Whether a version's input contract accepts what callers send today: its signature against the current version's
/// signature, and against the inputs logged recently. CONTRACT DRAFT: the gates helper implements it.
/// </summary>
/// <param name="registry">Where the versions' MLmodel files are.</param>
/// <param name="monitoringDirectory">The inference log; null when there is none (the signature comparison still runs).</param>
/// <param name="time">Clock for the window.</param>
public sealed class InputContractCheck(IModelRegistry registry, string? monitoringDirectory, TimeProvider time)
{
    /// <summary>The problems found; empty when <paramref name="target"/> accepts both.</summary>
    /// <param name="target">The version that would serve (rollback target, promotion candidate).</param>
    /// <param name="current">The version serving now, or null.</param>
    /// <param name="recent">How far back logged inputs are read.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public Task<IReadOnlyList<ContractProblem>> CheckAsync(ModelVersion target, ModelVersion? current, TimeSpan recent, CancellationToken cancellationToken) =>
        throw new NotImplementedException($"gates helper: {registry}{monitoringDirectory}{time}{target}{current}{recent}{cancellationToken}");
}
