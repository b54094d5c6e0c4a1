using Slipway.Core.Deployment;

namespace Slipway.Deploy.Gates;

/// <summary>What a gate run found.</summary>
/// <param name="Results">One result per gate, in the order they ran.</param>
/// <param name="Problems">The input-contract problems behind a failed signature gate.</param>
public sealed record GateRun(IReadOnlyList<GateResult> Results, IReadOnlyList<ContractProblem> Problems)
{
    /// <summary>True when no gate failed.</summary>
    public bool Passed => Results.All(r => r.Outcome != GateOutcome.Failed);
}
