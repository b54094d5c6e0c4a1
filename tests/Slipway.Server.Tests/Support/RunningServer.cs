using System.Text;
using Microsoft.AspNetCore.Builder;
using Slipway.Mlflow.Client;
using Slipway.Server;
using Slipway.Testing;

namespace Slipway.Server.Tests.Support;

/// <summary>A real Slipway server on Kestrel, on a port the OS picked, over embedded stores in a temporary directory unless told otherwise.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TempDirectory? directory;

    private RunningServer(WebApplication app, TempDirectory? directory)
    {
        this.app = app;
        this.directory = directory;
        BaseUri = new Uri(app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseUri };
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public static async Task<RunningServer> StartAsync(string? store = null, string? artifacts = null)
    {
        var directory = new TempDirectory("slipway-server");
        var options = new SlipwayServerOptions
        {
            Urls = "http://127.0.0.1:0",
            Store = store,
            Artifacts = artifacts,
            EmbeddedDirectory = directory.Combine("embedded"),
        };
        var app = await SlipwayServerHost.StartAsync(options, CancellationToken.None);
        return new RunningServer(app, directory);
    }

    public MlflowRegistryClient Client(string user = "tester") => new(BaseUri, null, user);

    public MlflowTrackingClient TrackingClient(string user = "tester") => new(BaseUri, null, user);

    public async Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.DisposeAsync();
        directory?.Dispose();
    }
}
