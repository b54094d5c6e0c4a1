using Slipway.Testing;

namespace Slipway.Storage.Tests.Metadata;

/// <summary>The metadata store conformance suite on a fresh PostgreSQL database per test.</summary>
public sealed class PostgresMetadataStoreTests(PostgresServer server) : MetadataStoreConformance, IClassFixture<PostgresServer>
{
    protected override Task<string> CreateStoreUriAsync() => server.CreateDatabaseAsync();
}
