using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Registry;
using Slipway.Monitoring.Reference;
using Slipway.Packaging;
using Slipway.Serving.Hosting;
using Slipway.Server.Monitoring;
using Slipway.Server.Tests.Monitoring;
using Slipway.Server.Tests.Support;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Server.Tests.Webhooks;

/// <summary>
/// A server that serves a model from its own store publishes <c>drift.alert</c> once when the served version's dataset
/// drift turns true, and webhooks subscribed to it get a delivery.
/// </summary>
public sealed class DriftAlertTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new("slipway-drift-alert");
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private double[][] _rows = [];

    public async Task InitializeAsync()
    {
        var embedded = _directory.Combine("embedded");
        await using (var stores = await StorageFactory.OpenEmbeddedAsync(embedded, TimeProvider.System, CancellationToken.None))
        {
            var registry = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, TimeProvider.System, () => "tester", runs: stores.Metadata);
            var package = _directory.Combine("package");
            await ModelPackager.CreateAsync(RepoPaths.Combine("testdata", "models", "iris_logreg.onnx"), package, new PackageOptions(MonitoredNode.Columns, null), TimeProvider.System, CancellationToken.None);
            await registry.CreateRegisteredModelAsync("iris", null, null, CancellationToken.None);
            var version = await registry.CreateModelVersionAsync(new NewModelVersion("iris", package, "", "", "", "tester", new Dictionary<string, string>()), CancellationToken.None);
            using (var expected = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("testdata", "models", "iris_logreg.expected.json"))))
            {
                _rows = [.. expected.RootElement.GetProperty("input").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray())];
            }

            var csv = new StringBuilder(string.Join(',', MonitoredNode.Columns)).Append('\n');
            foreach (var row in _rows)
            {
                csv.Append(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
            }

            var reference = _directory.Combine("reference.csv");
            await File.WriteAllTextAsync(reference, csv.ToString());
            await new ReferenceStore(_time).AttachAsync(registry, "iris", version.Version, reference, CancellationToken.None);
            await registry.SetAliasAsync("iris", "champion", version.Version, null, CancellationToken.None);
        }

        var serving = new ModelHostOptions { CacheDirectory = _directory.Combine("cache"), PollInterval = TimeSpan.FromMilliseconds(20) };
        serving.Models.Add(new ServedModelOptions(ModelUri.Parse("models:/iris@champion")));
        _app = await SlipwayServerHost.StartAsync(
            new SlipwayServerOptions
            {
                Urls = "http://127.0.0.1:0",
                EmbeddedDirectory = embedded,
                Serving = serving,
                Monitoring = new ServingMonitoringOptions { Directory = _directory.Combine("monitoring"), Time = _time, DriftRefreshInterval = Refresh },
            },
            CancellationToken.None);
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        await _app.Services.GetRequiredService<ModelHost>().WaitUntilReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();

    private async Task SendShiftedTrafficAsync()
    {
        for (var start = 0; start < _rows.Length; start += 10)
        {
            var data = string.Join(", ", _rows.Skip(start).Take(10).Select(r => "[" + string.Join(", ", r.Select(v => (v + 3).ToString("R", CultureInfo.InvariantCulture))) + "]"));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/models/iris/invocations")
            {
                Content = new StringContent($$$"""{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [{{{data}}}]}}""", Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await _app.Services.GetRequiredService<ServingMonitoring>().Monitor!.FlushAsync();
    }

    private async Task<List<JsonElement>> DeliveriesAsync(string id) =>
        [.. (await JsonAssert.OkAsync(await _http.GetAsync($"/api/slipway/webhooks/{id}/deliveries"))).GetProperty("deliveries").EnumerateArray()];

    [Fact]
    public async Task Drift_turning_true_fires_one_drift_alert()
    {
        using var created = await _http.PostAsync(
            "/api/2.0/mlflow/webhooks",
            new StringContent("""{"name": "drift", "url": "http://127.0.0.1:9/hook", "events": [{"entity": "DRIFT", "action": "ALERT"}]}""", Encoding.UTF8, "application/json"));
        var id = (await JsonAssert.OkAsync(created)).GetProperty("webhook").GetProperty("webhook_id").GetString()!;

        await SendShiftedTrafficAsync();
        _time.Advance(Refresh);
        List<JsonElement> deliveries = [];
        for (var i = 0; i < 200 && deliveries.Count == 0; i++)
        {
            await Task.Delay(50);
            deliveries = await DeliveriesAsync(id);
        }

        var alert = Assert.Single(deliveries);
        Assert.Equal("drift.alert", alert.GetProperty("event").GetString());
        var data = alert.GetProperty("data");
        Assert.Equal("iris", data.GetProperty("name").GetString());
        Assert.Equal("champion", data.GetProperty("alias").GetString());
        Assert.Equal("1", data.GetProperty("version").GetString());
        Assert.Equal(1.0, data.GetProperty("drift_share").GetDouble());
        Assert.Equal(MonitoredNode.Columns.Order(StringComparer.Ordinal), data.GetProperty("drifted_features").EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal));

        // Still drifting at the next refreshes: no new alert.
        _time.Advance(Refresh);
        _time.Advance(Refresh);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Single(await DeliveriesAsync(id));
    }
}
