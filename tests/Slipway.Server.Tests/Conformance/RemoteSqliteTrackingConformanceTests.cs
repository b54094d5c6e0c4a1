using Slipway.Mlflow.Client;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Conformance;

/// <summary>The MLflow-protocol tracking client against a real server over SQLite and files.</summary>
public sealed class RemoteSqliteTrackingConformanceTests : TrackingConformanceTests
{
    private RunningServer? server;
    private MlflowTrackingClient? tracker;
    private MlflowRegistryClient? registry;

    public override async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
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
