using Slipway.Testing;

namespace Slipway.Storage.Tests.Deployment;

/// <summary>The deployment store conformance suite on a fresh PostgreSQL database per test.</summary>
public sealed class PostgresDeploymentStoreTests(PostgresServer server) : DeploymentStoreConformance, IClassFixture<PostgresServer>
{
    protected override Task<string> CreateStoreUriAsync() => server.CreateDatabaseAsync();
}
