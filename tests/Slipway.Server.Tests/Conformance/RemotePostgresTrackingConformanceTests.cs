using Slipway.Mlflow.Client;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Conformance;

/// <summary>The MLflow-protocol tracking client against a real server over PostgreSQL and s3rver.</summary>
[Collection(PostgresS3Group.Name)]
public sealed class RemotePostgresTrackingConformanceTests(PostgresS3Fixture fixture) : TrackingConformanceTests
{
    private RunningServer? server;
    private MlflowTrackingClient? tracker;
    private MlflowRegistryClient? registry;

    public override async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync(await fixture.Postgres.CreateDatabaseAsync(), fixture.ArtifactsUri(Guid.NewGuid().ToString("N")));
        tracker = server.TrackingClient("tester");
        registry = server.Client("tester");
        Tracker = tracker;
        Registry = registry;
    }

    public override async Task DisposeAsync()
    {
        tracker?.Dispose();
        registry?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
