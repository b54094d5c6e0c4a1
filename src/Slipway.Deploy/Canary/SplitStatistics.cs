using Slipway.Core.Deployment;

namespace Slipway.Deploy.Canary;

/// <summary>A running split's counts on this serving node and what its policy says now.</summary>
/// <param name="State">The split.</param>
/// <param name="Stable">The stable version's requests since the split started.</param>
/// <param name="Canary">The canary's requests since the split started.</param>
/// <param name="Shadow">The shadow's mirrored requests and comparisons since the split started.</param>
/// <param name="Verdict">The policy's verdict now (canaries only; shadows end by a person's decision), or null.</param>
public sealed record SplitStatistics(DeploymentState State, VariantSnapshot Stable, VariantSnapshot Canary, ShadowSnapshot Shadow, CanaryVerdict? Verdict);
