using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Registry;
using Slipway.Monitoring.Reference;
using Slipway.Serving.Hosting;
using Slipway.Server.Monitoring;
using Slipway.Server.Tests.Serving;

namespace Slipway.Server.Tests.Monitoring;

/// <summary>
/// Drift of live traffic against the reference stored with the version (the iris training inputs): the drift API and
/// the drift gauges, refreshed by the monitoring clock's timer.
/// </summary>
public sealed class DriftTests : IAsyncLifetime
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
    private ServingNode node = null!;
    private double[][] rows = [];

    public async Task InitializeAsync()
    {
        node = await ServingNode.OpenAsync();
        var version = await node.RegisterAsync("iris", ServingNode.Model("iris_logreg.onnx"), MonitoredNode.Columns);
        using (var expected = JsonDocument.Parse(await File.ReadAllTextAsync(ServingNode.Model("iris_logreg.expected.json"))))
        {
            rows = expected.RootElement.GetProperty("input").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        }

        var csv = new StringBuilder(string.Join(',', MonitoredNode.Columns)).Append('\n');
        foreach (var row in rows)
        {
            csv.Append(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        }

        var reference = node.Combine("reference.csv");
        await File.WriteAllTextAsync(reference, csv.ToString());
        await new ReferenceStore(time).AttachAsync(node.Registry, "iris", version, reference, CancellationToken.None);
        await node.Registry.SetAliasAsync("iris", "champion", version, null, CancellationToken.None);
        node.Monitoring = new ServingMonitoringOptions { Directory = node.Combine("monitoring"), Time = time, DriftRefreshInterval = Refresh };
        await node.StartAsync(null, new ServedModelOptions(ModelUri.Parse("models:/iris@champion")));
    }

    public async Task DisposeAsync() => await node.DisposeAsync();

    /// <summary>Scores the reference rows with every feature shifted by <paramref name="shift"/>, 10 rows per request.</summary>
    private async Task SendAsync(double shift)
    {
        for (var start = 0; start < rows.Length; start += 10)
        {
            var data = string.Join(", ", rows.Skip(start).Take(10).Select(r => "[" + string.Join(", ", r.Select(v => (v + shift).ToString("R", CultureInfo.InvariantCulture))) + "]"));
            using var response = await node.ScoreAsync($$$"""{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [{{{data}}}]}}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await node.Monitoring().Monitor!.FlushAsync();
    }

    [Fact]
    public async Task The_drift_api_reports_shifted_traffic_as_drifted_in_the_report_json()
    {
        await SendAsync(shift: 3);

        using var response = await node.Http.GetAsync("/api/slipway/monitoring/drift?model=iris&window=1h");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var report = JsonDocument.Parse(text).RootElement;
        Assert.Equal("iris", report.GetProperty("model").GetString());
        Assert.Equal(1, report.GetProperty("version").GetInt64());
        Assert.Equal("1h", report.GetProperty("current").GetProperty("window").GetString());
        Assert.Equal(150, report.GetProperty("current").GetProperty("rows").GetInt64());
        Assert.True(report.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(4, report.GetProperty("features").GetArrayLength());
        Assert.All(report.GetProperty("features").EnumerateArray(), f => Assert.True(f.GetProperty("drifted").GetBoolean()));
    }

    [Fact]
    public async Task The_drift_gauges_follow_the_traffic_at_each_refresh_of_the_clock()
    {
        await SendAsync(shift: 0);
        Assert.False((await node.ScrapeAsync()).Samples.Any(s => s.Name == "slipway_drift_score"), "no gauges before the first refresh");

        time.Advance(Refresh);
        var scrape = await WaitForAsync(s => s.Samples.Count(x => x.Name == "slipway_drift_score") == 8);

        // Traffic drawn from the reference itself: no feature drifted, in either window.
        Assert.Equal(0, scrape.Sum("slipway_drift_detected"));
        Assert.Equal(0, scrape.Sum("slipway_dataset_drift", """model="iris",version="1",window="1h" """.Trim()));
        Assert.Equal(0, scrape.Sum("slipway_drifted_features_share", """window="1d" """.Trim()));
        Assert.Contains(scrape.Samples, s => s.Name == "slipway_drift_score" && s.Labels.Contains("""feature="petal_length",method="ks",window="1h" """.Trim(), StringComparison.Ordinal));

        // An hour later the shifted traffic alone fills the last hour; the day holds both.
        time.Advance(TimeSpan.FromHours(1));
        await SendAsync(shift: 3);
        time.Advance(Refresh);
        scrape = await WaitForAsync(s => s.Sum("slipway_dataset_drift", """window="1h" """.Trim()) == 1);
        Assert.Equal(1, scrape.Sum("slipway_drifted_features_share", """model="iris",version="1",window="1h" """.Trim()));
        Assert.Equal(4, scrape.Sum("slipway_drift_detected", """window="1h" """.Trim()));
    }

    private async Task<Scrape> WaitForAsync(Func<Scrape, bool> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            var scrape = await node.ScrapeAsync();
            if (condition(scrape))
            {
                return scrape;
            }

            await Task.Delay(50);
        }

        return await node.ScrapeAsync();
    }
}
