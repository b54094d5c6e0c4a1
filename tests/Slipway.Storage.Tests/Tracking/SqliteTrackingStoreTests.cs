using Slipway.Testing;

namespace Slipway.Storage.Tests.Tracking;

/// <summary>The tracking store conformance suite on a SQLite file per test.</summary>
public sealed class SqliteTrackingStoreTests : TrackingStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("slipway-tracking");

    protected override Task<string> CreateStoreUriAsync() => Task.FromResult("sqlite:" + _directory.Combine("meta-" + Guid.NewGuid().ToString("N") + ".db"));

    public void Dispose() => _directory.Dispose();
}
