using System.Net;
using Slipway.Mlflow.Client;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Client;

/// <summary>What the HTTP tracking client adds over the wire: cancellation, and failures that are not MLflow error bodies.</summary>
public sealed class MlflowTrackingClientTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_cancelled_call_is_cancelled_and_sends_nothing()
    {
        using var client = server.TrackingClient();
        var name = Names.Unique("cancel");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CreateExperimentAsync(name, null, null, cancelled.Token));
        var missing = await Assert.ThrowsAsync<Slipway.Core.Registry.RegistryException>(() => client.GetExperimentByNameAsync(name, CancellationToken.None));
        Assert.Equal(Slipway.Core.Registry.RegistryErrorCode.ResourceDoesNotExist, missing.Code);
    }

    [Fact]
    public async Task A_server_that_does_not_speak_mlflow_is_an_http_error_with_its_status()
    {
        using var client = new MlflowTrackingClient(new Uri(server.BaseUri, "/not-slipway"), null, "tester");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetExperimentAsync("0", CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://host/")]
    [InlineData("relative/path")]
    public void Only_http_addresses_are_accepted(string address) =>
        Assert.Throws<ArgumentException>(() => new MlflowTrackingClient(new Uri(address, UriKind.RelativeOrAbsolute)));
}
