using Slipway.Testing;

namespace Slipway.Storage.Tests.Artifacts;

/// <summary>The artifact index conformance suite on PostgreSQL.</summary>
public sealed class PostgresArtifactIndexTests(PostgresServer server) : ArtifactIndexConformance, IClassFixture<PostgresServer>
{
    protected override Task<string> CreateStoreUriAsync() => server.CreateDatabaseAsync();
}
