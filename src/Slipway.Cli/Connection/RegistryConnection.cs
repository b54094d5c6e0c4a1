using Slipway.Cli.CommandLine;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Deploy.Promotion;
using Slipway.Mlflow.Client;
using Slipway.Storage;

namespace Slipway.Cli.Connection;

/// <summary>
/// An open registry and experiment tracker: <see cref="MlflowRegistryClient"/> and <see cref="MlflowTrackingClient"/> for a
/// server, or <see cref="ModelRegistryService"/> and <see cref="TrackingService"/> over the embedded stores of a local
/// directory. Disposing it closes the clients or the stores.
/// </summary>
public sealed class RegistryConnection : IAsyncDisposable
{
    private readonly IAsyncDisposable? _resources;

    private RegistryConnection(IModelRegistry registry, IExperimentTracker tracker, IDeploymentService deployments, IAsyncDisposable? resources, RegistryAddress address)
    {
        Embedded = resources as EmbeddedStorage;
        Registry = registry;
        Tracker = tracker;
        Deployments = deployments;
        _resources = resources;
        Address = address;
    }

    /// <summary>The registry.</summary>
    public IModelRegistry Registry { get; }

    /// <summary>Experiment tracking (experiments, runs, metrics, run artifacts) of the same registry.</summary>
    public IExperimentTracker Tracker { get; }

    /// <summary>Gate policies, promotions, rollbacks and traffic splits of the same registry.</summary>
    public IDeploymentService Deployments { get; }

    /// <summary>The stores of an embedded registry (null for a server): a serving node uses them to deliver webhooks.</summary>
    public EmbeddedStorage? Embedded { get; }

    /// <summary>Where it is.</summary>
    public RegistryAddress Address { get; }

    /// <summary>Opens the registry at <paramref name="address"/>.</summary>
    public static async Task<RegistryConnection> OpenAsync(RegistryAddress address, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.ServerUri is { } server)
        {
            var client = new MlflowRegistryClient(server);
            var tracking = new MlflowTrackingClient(server);
            var deployments = new SlipwayDeploymentClient(server);
            return new RegistryConnection(client, tracking, deployments, new DisposableAdapter(client, tracking, deployments), address);
        }

        if (File.Exists(address.Directory))
        {
            throw new CliException($"registry '{address.Directory}' is a file; give a directory or an http(s) URL.");
        }

        var stores = await StorageFactory.OpenEmbeddedAsync(address.Directory!, time, cancellationToken).ConfigureAwait(false);
        var service = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, time, () => Environment.UserName, runs: stores.Metadata);
        var tracker = new TrackingService(stores.Metadata, service, time, () => Environment.UserName);
        // Gates and rollback checks read the inference log that `serve` writes into the embedded registry.
        var embeddedDeployments = new DeploymentService(
            service, stores.Metadata, tracker, Path.Combine(Path.GetFullPath(address.Directory!), "monitoring"), time, () => Environment.UserName);
        return new RegistryConnection(service, tracker, embeddedDeployments, stores, address);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _resources?.DisposeAsync() ?? ValueTask.CompletedTask;

    private sealed class DisposableAdapter(params IDisposable[] inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            foreach (var disposable in inner)
            {
                disposable.Dispose();
            }

            return ValueTask.CompletedTask;
        }
    }
}
