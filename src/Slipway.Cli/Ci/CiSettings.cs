namespace Slipway.Cli.Ci;

/// <summary>What a generated pipeline deploys.</summary>
/// <param name="Model">The registered model.</param>
/// <param name="Alias">The alias the pipeline promotes (and the Kubernetes Deployment <c>slipway-MODEL-ALIAS</c> it rolls out).</param>
/// <param name="SlipwayVersion">The Slipway tool version the pipeline installs (this executable's).</param>
public sealed record CiSettings(string Model, string Alias, string SlipwayVersion)
{
    /// <summary>The Kubernetes Deployment that serves the alias.</summary>
    public string Deployment => $"slipway-{Model}-{Alias}";
}
