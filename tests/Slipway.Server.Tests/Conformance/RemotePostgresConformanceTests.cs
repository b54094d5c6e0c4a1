using Slipway.Mlflow.Client;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Conformance;

/// <summary>The HTTP client against a real server over PostgreSQL and s3rver.</summary>
[Collection(PostgresS3Group.Name)]
public sealed class RemotePostgresConformanceTests(PostgresS3Fixture fixture) : RegistryConformanceTests
{
    private RunningServer? server;
    private MlflowRegistryClient? client;

    public override async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync(await fixture.Postgres.CreateDatabaseAsync(), fixture.ArtifactsUri(Guid.NewGuid().ToString("N")));
        client = server.Client("tester");
        Registry = client;
    }

    public override async Task DisposeAsync()
    {
        client?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
