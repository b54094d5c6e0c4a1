using System.Globalization;
using System.Net;
using System.Text.Json;
using Slipway.Server.Tests.Serving;
using Slipway.Testing;

namespace Slipway.Server.Tests.Monitoring;

/// <summary>A real Prometheus scrapes a live node: its PromQL answers match the traffic sent, and every dashboard query is valid PromQL.</summary>
public sealed class PrometheusTests : IAsyncLifetime
{
    private const int Ok = 23;
    private const int Bad = 7;
    private ServingNode node = null!;
    private PrometheusServer prometheus = null!;

    public async Task InitializeAsync()
    {
        node = await MonitoredNode.StartAsync();
        prometheus = await PrometheusServer.StartAsync(node.Http.BaseAddress!.Authority);
    }

    public async Task DisposeAsync()
    {
        await prometheus.DisposeAsync();
        await node.DisposeAsync();
    }

    [Fact]
    public async Task Prometheus_counts_the_requests_sent_and_places_the_median_in_the_servers_median_bucket()
    {
        for (var i = 0; i < Ok; i++)
        {
            using var response = await node.ScoreAsync(MonitoredNode.OneRow);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        for (var i = 0; i < Bad; i++)
        {
            using var response = await node.ScoreAsync(MonitoredNode.Bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(Ok, await prometheus.WaitForAsync("""sum(slipway_serving_requests_total{status="2xx"})""", Ok));
        Assert.Equal(Bad, await prometheus.WaitForAsync("""sum(slipway_serving_requests_total{status="4xx"})""", Bad));
        Assert.Equal(Ok + Bad, await prometheus.WaitForAsync("sum(slipway_serving_request_duration_seconds_count)", Ok + Bad));

        // The server's own histogram: the bucket holding its median request.
        var buckets = (await node.ScrapeAsync()).Buckets("slipway_serving_request_duration_seconds");
        var (lower, upper) = MedianBucket(buckets);

        var median = await prometheus.ScalarAsync("histogram_quantile(0.5, sum by (le) (slipway_serving_request_duration_seconds_bucket))");
        Assert.NotNull(median);
        Assert.InRange(median.Value, lower, upper);
    }

    [Fact]
    public async Task Every_dashboard_query_is_valid_promql()
    {
        using var ok = await node.ScoreAsync(MonitoredNode.OneRow);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("deploy", "grafana", "slipway-dashboard.json")));
        var queries = MetricsScrapeTests.DashboardExpressions(dashboard.RootElement).ToList();
        Assert.NotEmpty(queries);
        foreach (var query in queries)
        {
            // Grafana's variables replaced as Grafana would for "All" and the default window.
            var promql = query
                .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
                .Replace("$__range", "1h", StringComparison.Ordinal)
                .Replace("$model", ".*", StringComparison.Ordinal)
                .Replace("$version", ".*", StringComparison.Ordinal)
                .Replace("$window", "1d", StringComparison.Ordinal);

            var data = await prometheus.QueryAsync(promql);

            Assert.Equal("vector", data.GetProperty("resultType").GetString());
        }
    }

    /// <summary>The bounds of the first bucket whose cumulative count reaches half the total.</summary>
    private static (double Lower, double Upper) MedianBucket(SortedDictionary<double, double> buckets)
    {
        var total = buckets[double.PositiveInfinity];
        var lower = 0.0;
        foreach (var (bound, count) in buckets)
        {
            if (count >= total / 2)
            {
                return (lower, bound);
            }

            lower = bound;
        }

        throw new InvalidOperationException("empty histogram: " + string.Join(", ", buckets.Select(b => b.Key.ToString(CultureInfo.InvariantCulture))));
    }
}
