using Slipway.Core.Registry;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Server.Tests.Conformance;

/// <summary>The in-process registry service over SQLite and files.</summary>
public sealed class EmbeddedSqliteConformanceTests : RegistryConformanceTests
{
    private readonly TempDirectory directory = new("slipway-conf");
    private EmbeddedStorage? storage;

    public override async Task InitializeAsync()
    {
        storage = await StorageFactory.OpenEmbeddedAsync(directory.Path, TimeProvider.System, CancellationToken.None);
        Registry = new ModelRegistryService(storage.Metadata, storage.Metadata, storage.Blobs, TimeProvider.System, () => "tester");
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
