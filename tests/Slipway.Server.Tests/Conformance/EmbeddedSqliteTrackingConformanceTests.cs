using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Server.Tests.Conformance;

/// <summary>The in-process tracking service over SQLite and files.</summary>
public sealed class EmbeddedSqliteTrackingConformanceTests : TrackingConformanceTests
{
    private readonly TempDirectory directory = new("slipway-track");
    private EmbeddedStorage? storage;

    public override async Task InitializeAsync()
    {
        storage = await StorageFactory.OpenEmbeddedAsync(directory.Path, TimeProvider.System, CancellationToken.None);
        var registry = new ModelRegistryService(storage.Metadata, storage.Metadata, storage.Blobs, TimeProvider.System, () => "tester", runs: storage.Metadata);
        Registry = registry;
        Tracker = new TrackingService(storage.Metadata, registry, TimeProvider.System, () => "tester");
    }

    public override async Task DisposeAsync()
    {
        if (storage is not null)
        {
            await storage.DisposeAsync();
        }

        directory.Dispose();
    }
}
