using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Server.Tests.Support;
using Slipway.Storage;
using Slipway.Storage.Metadata;

namespace Slipway.Server.Tests.Conformance;

/// <summary>The in-process tracking service over PostgreSQL and s3rver.</summary>
[Collection(PostgresS3Group.Name)]
public sealed class EmbeddedPostgresTrackingConformanceTests(PostgresS3Fixture fixture) : TrackingConformanceTests
{
    private SqlMetadataStore? metadata;
    private Slipway.Core.Artifacts.IBlobStore? blobs;

    public override async Task InitializeAsync()
    {
        metadata = await StorageFactory.OpenMetadataStoreAsync(await fixture.Postgres.CreateDatabaseAsync(), TimeProvider.System, CancellationToken.None);
        blobs = StorageFactory.OpenBlobStore(fixture.ArtifactsUri(Guid.NewGuid().ToString("N")));
        var registry = new ModelRegistryService(metadata, metadata, blobs, TimeProvider.System, () => "tester", runs: metadata);
        Registry = registry;
        Tracker = new TrackingService(metadata, registry, TimeProvider.System, () => "tester");
    }

    public override async Task DisposeAsync()
    {
        (blobs as IDisposable)?.Dispose();
        if (metadata is not null)
        {
            await metadata.DisposeAsync();
        }
    }
}
