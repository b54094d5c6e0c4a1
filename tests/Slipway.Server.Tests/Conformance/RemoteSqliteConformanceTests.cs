using Slipway.Mlflow.Client;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Conformance;

/// <summary>The HTTP client against a real server over SQLite and files.</summary>
public sealed class RemoteSqliteConformanceTests : RegistryConformanceTests
{
    private RunningServer? server;
    private MlflowRegistryClient? client;

    public override async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
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
