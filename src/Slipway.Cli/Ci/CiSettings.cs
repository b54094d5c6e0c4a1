namespace Slipway.Cli.Ci;

/// <summary>What a generated pipeline deploys.</summary>
/// <param name="Model">The registered model.</param>
/// <param name="Alias">The alias the pipeline promotes (and the Kubernetes Deployment <c>slipway-MODEL-ALIAS</c> it rolls out).</param>
/// <param name="SlipwayVersion">The Slipway tool version the pipeline installs (this executable's).</param>
/// <param name="DeploymentName">The Deployment's name when it is not <c>slipway-MODEL-ALIAS</c> (the Helm chart's <c>deploymentName</c>); null for that default.</param>
public sealed record CiSettings(string Model, string Alias, string SlipwayVersion, string? DeploymentName = null)
{
    /// <summary>The Kubernetes Deployment that serves the alias: <see cref="DeploymentName"/>, else <c>slipway-MODEL-ALIAS</c> (the Helm chart's default name).</summary>
    public string Deployment => DeploymentName ?? $"slipway-{Model}-{Alias}";
}
