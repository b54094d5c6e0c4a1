using Slipway.Core.Registry;
using Slipway.Server.Tests.Support;
using Slipway.Storage;
using Slipway.Storage.Metadata;

namespace Slipway.Server.Tests.Conformance;

/// <summary>The in-process registry service over PostgreSQL and s3rver.</summary>
[Collection(PostgresS3Group.Name)]
public sealed class EmbeddedPostgresConformanceTests(PostgresS3Fixture fixture) : RegistryConformanceTests
{
    private SqlMetadataStore? metadata;
    private Slipway.Core.Artifacts.IBlobStore? blobs;

    public override async Task InitializeAsync()
    {
        metadata = await StorageFactory.OpenMetadataStoreAsync(await fixture.Postgres.CreateDatabaseAsync(), TimeProvider.System, CancellationToken.None);
        blobs = StorageFactory.OpenBlobStore(fixture.ArtifactsUri(Guid.NewGuid().ToString("N")));
        Registry = new ModelRegistryService(metadata, metadata, blobs, TimeProvider.System, () => "tester");
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
