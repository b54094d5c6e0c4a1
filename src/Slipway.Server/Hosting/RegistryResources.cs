using Slipway.Core.Artifacts;
using Slipway.Core.Deployment;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Deploy.Promotion;
using Slipway.Server.Http;
using Slipway.Storage;
using Slipway.Storage.Metadata;

namespace Slipway.Server.Hosting;

/// <summary>The stores a server opened and the registry and tracking services over them; disposing closes the stores.</summary>
internal sealed class RegistryResources : IAsyncDisposable
{
    /// <summary>How old a pending registration must be before start-up declares it interrupted: another server on the same database may be registering right now.</summary>
    internal static readonly TimeSpan RecoveryGrace = TimeSpan.FromMinutes(2);

    private readonly IBlobStore blobs;

    private RegistryResources(ModelRegistryService registry, TrackingService tracker, DeploymentService deployments, SqlMetadataStore metadata, IBlobStore blobs)
    {
        Registry = registry;
        Tracker = tracker;
        Deployments = deployments;
        Metadata = metadata;
        this.blobs = blobs;
    }

    /// <summary>The registry service every endpoint calls.</summary>
    public ModelRegistryService Registry { get; }

    /// <summary>The tracking service every experiment and run endpoint calls.</summary>
    public TrackingService Tracker { get; }

    /// <summary>Gate policies, promotions, rollbacks and traffic splits over the same stores.</summary>
    public DeploymentService Deployments { get; }

    /// <summary>The metadata store.</summary>
    public SqlMetadataStore Metadata { get; }

    /// <summary>Webhooks and their deliveries, in the metadata store.</summary>
    public IWebhookStore Webhooks => Metadata;

    /// <summary>The event outbox webhooks deliver from, in the metadata store.</summary>
    public IEventOutbox Outbox => Metadata;

    /// <summary>
    /// Opens the stores named by the options (embedded ones in <see cref="SlipwayServerOptions.EmbeddedDirectory"/>
    /// for those left null) and fails registrations a crash left pending. Nothing heavy happens here: start-up stays
    /// well under a second.
    /// </summary>
    public static async Task<RegistryResources> OpenAsync(SlipwayServerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var directory = options.EmbeddedDirectory;
        if (options.Store is null || options.Artifacts is null)
        {
            Directory.CreateDirectory(directory);
        }

        var metadata = await StorageFactory.OpenMetadataStoreAsync(
            options.Store ?? "sqlite:" + Path.Combine(Path.GetFullPath(directory), StorageFactory.EmbeddedDatabaseFile),
            time,
            cancellationToken).ConfigureAwait(false);
        try
        {
            var blobs = StorageFactory.OpenBlobStore(options.Artifacts ?? Path.Combine(Path.GetFullPath(directory), StorageFactory.EmbeddedArtifactsDirectory));
            // A server never reads version sources from its own disk: callers upload through the artifact proxy.
            // The registry resolves runs:/ sources through the tracking store.
            var registry = new ModelRegistryService(metadata, metadata, blobs, time, () => RequestUser.Current, allowLocalSources: false, runs: metadata);
            await registry.RecoverInterruptedRegistrationsAsync(RecoveryGrace, cancellationToken).ConfigureAwait(false);
            var tracker = new TrackingService(metadata, registry, time, () => RequestUser.Current);
            // Gates and rollback checks read the inference log this server writes when it serves (embedded layout).
            var monitoring = options.Monitoring?.Directory ?? Path.Combine(Path.GetFullPath(directory), "monitoring");
            var deployments = new DeploymentService(registry, metadata, tracker, monitoring, time, () => RequestUser.Current);
            return new RegistryResources(registry, tracker, deployments, metadata, blobs);
        }
        catch
        {
            await metadata.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Metadata.DisposeAsync().ConfigureAwait(false);
        (blobs as IDisposable)?.Dispose();
    }
}
