using Slipway.Testing;

namespace Slipway.Storage.Tests.Tracking;

/// <summary>The tracking store conformance suite on a fresh PostgreSQL database per test.</summary>
public sealed class PostgresTrackingStoreTests(PostgresServer server) : TrackingStoreConformance, IClassFixture<PostgresServer>
{
    protected override Task<string> CreateStoreUriAsync() => server.CreateDatabaseAsync();
}
