using Slipway.Core.Deployment;

namespace Slipway.Serving.Hosting;

/// <summary>
/// Reads the traffic split of a served alias (<see cref="ModelHostOptions.Splits"/>): the canary and shadow versions
/// and their shares, or null when the alias serves its target alone.
/// </summary>
/// <param name="name">The registered model.</param>
/// <param name="alias">The alias the model is served by.</param>
/// <param name="cancellationToken">Cancels the read.</param>
public delegate Task<DeploymentState?> DeploymentStateSource(string name, string alias, CancellationToken cancellationToken);
