using System.Net;
using System.Text;
using Slipway.Server.Tests.Serving;

namespace Slipway.Server.Tests.Monitoring;

public sealed class MonitoringOffTests
{
    [Fact]
    public async Task With_monitoring_off_nothing_is_written_and_the_monitoring_api_says_it_is_off()
    {
        await using var node = await MonitoredNode.StartAsync(monitoring: false);
        for (var i = 0; i < 5; i++)
        {
            using var response = await node.ScoreAsync(MonitoredNode.TwoRows, $"off-{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"off-{i}", response.RequestId());
        }

        Assert.Null(node.Monitoring().Monitor);
        Assert.False(Directory.Exists(node.Combine("monitoring")));
        using var feedback = await node.Http.PostAsync("/api/slipway/feedback", new StringContent("""{"request_id": "off-0", "actual": 0}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, feedback.StatusCode);
        Assert.Contains("monitoring is off", await feedback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"enabled\":false", await node.Http.GetStringAsync("/api/slipway/monitoring/status"), StringComparison.Ordinal);

        // Request metrics stay on; the monitoring instruments are not there at all.
        var scrape = await node.ScrapeAsync();
        Assert.Equal(5, scrape.Sum("slipway_serving_requests_total"));
        Assert.False(scrape.Exports("slipway_inference_log_records_total"));
    }

    [Fact]
    public async Task With_monitoring_on_the_inference_log_is_written_under_the_directory()
    {
        await using var node = await MonitoredNode.StartAsync();
        using var response = await node.ScoreAsync(MonitoredNode.TwoRows);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await node.Monitoring().Monitor!.FlushAsync();

        var files = Directory.GetFiles(node.Combine("monitoring", "inferences"), "*.parquet", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        Assert.Contains(files, f => f.Contains("model=iris", StringComparison.Ordinal));
    }
}
