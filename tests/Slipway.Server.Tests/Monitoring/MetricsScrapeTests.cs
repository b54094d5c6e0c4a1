using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Server.Tests.Serving;
using Slipway.Testing;

namespace Slipway.Server.Tests.Monitoring;

/// <summary>A live scrape of a node that served traffic with monitoring on: valid for promtool, labelled as documented, and covering every metric the dashboard and alert rules use.</summary>
public sealed partial class MetricsScrapeTests : IAsyncLifetime
{
    private ServingNode node = null!;

    public async Task InitializeAsync()
    {
        node = await MonitoredNode.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            using var ok = await node.ScoreAsync(MonitoredNode.TwoRows);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var bad = await node.ScoreAsync(MonitoredNode.Bad);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var v2 = await node.PostAsync(
            "/v2/models/iris/infer",
            """{"inputs": [{"name": "sepal_length", "datatype": "FP32", "shape": [1], "data": [5.1]}, {"name": "sepal_width", "datatype": "FP32", "shape": [1], "data": [3.5]}, {"name": "petal_length", "datatype": "FP32", "shape": [1], "data": [1.4]}, {"name": "petal_width", "datatype": "FP32", "shape": [1], "data": [0.2]}]}""");
        Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
        using var unknown = await node.PostAsync("/models/nope/invocations", "{}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    public async Task DisposeAsync() => await node.DisposeAsync();

    [Fact]
    public async Task Promtool_check_metrics_passes_on_a_live_scrape()
    {
        var scrape = await node.ScrapeAsync();

        var (exitCode, output) = await Promtool.RunAsync(["check", "metrics"], scrape.Text);

        Assert.True(exitCode == 0, output);
        Assert.Equal(string.Empty, output.Trim());
    }

    [Fact]
    public async Task Requests_are_counted_by_model_version_alias_protocol_and_status_class()
    {
        var scrape = await node.ScrapeAsync();

        Assert.Equal(5, scrape.Sum("slipway_serving_requests_total", """model="iris",version="1",alias="champion",protocol="mlflow",status="2xx" """.Trim()));
        Assert.Equal(1, scrape.Sum("slipway_serving_requests_total", """model="iris",version="1",alias="champion",protocol="mlflow",status="4xx" """.Trim()));
        Assert.Equal(1, scrape.Sum("slipway_serving_requests_total", """model="iris",version="1",alias="champion",protocol="v2",status="2xx" """.Trim()));
        Assert.Equal(1, scrape.Sum("slipway_serving_requests_total", """model="unknown",version="",alias="",protocol="mlflow",status="4xx" """.Trim()));
        Assert.Equal(8, scrape.Sum("slipway_serving_request_duration_seconds_count"));

        // Six runtime calls for six scored requests (the warm-up run of the input example is not a request), eleven rows.
        Assert.Equal(6, scrape.Sum("slipway_serving_inference_duration_seconds_count", """model="iris",version="1" """.Trim()));
        Assert.Equal(11, scrape.Sum("slipway_serving_batch_rows_sum", """model="iris",version="1" """.Trim()));
        Assert.Equal(1, scrape.Sum("slipway_model_info", """model="iris",version="1",alias="champion",platform="onnxruntime_onnx" """.Trim()));
        Assert.Equal(1, scrape.Sum("slipway_serving_model_loaded", """model="iris",alias="champion" """.Trim()));
        Assert.Equal(1, scrape.Sum("slipway_serving_model_swaps_total", """model="iris",alias="champion" """.Trim()));
        Assert.Equal(0, scrape.Sum("slipway_serving_in_flight_requests"));
    }

    [Fact]
    public async Task Answered_requests_reach_the_inference_log_counters()
    {
        await node.Monitoring().Monitor!.FlushAsync();

        var scrape = await node.ScrapeAsync();

        Assert.Equal(6, scrape.Sum("slipway_inference_log_records_total"));
        Assert.Equal(0, scrape.Sum("slipway_inference_log_dropped_total"));
        Assert.Equal(0, scrape.Sum("slipway_inference_log_sampled_out_total"));
        Assert.Equal(11, scrape.Sum("slipway_inference_log_rows_total"));
    }

    [Fact]
    public async Task Every_metric_the_dashboard_and_alert_rules_use_is_exported()
    {
        var scrape = await node.ScrapeAsync();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        using (var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Combine("deploy", "grafana", "slipway-dashboard.json"))))
        {
            foreach (var expr in DashboardExpressions(dashboard.RootElement))
            {
                AddNames(names, expr);
            }
        }

        foreach (var line in await File.ReadAllLinesAsync(RepoPaths.Combine("deploy", "prometheus", "slipway-alerts.yml")))
        {
            if (line.TrimStart().StartsWith("expr:", StringComparison.Ordinal))
            {
                AddNames(names, line);
            }
        }

        Assert.True(names.Count >= 20, string.Join(", ", names));
        var missing = names.Where(n => !scrape.Exports(n)).ToList();
        Assert.True(missing.Count == 0, "not in the scrape: " + string.Join(", ", missing));
    }

    internal static IEnumerable<string> DashboardExpressions(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                {
                    yield return property.Value.GetString()!;
                }
                else
                {
                    foreach (var inner in DashboardExpressions(property.Value))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in DashboardExpressions(item))
                {
                    yield return inner;
                }
            }
        }
    }

    private static void AddNames(SortedSet<string> names, string expr)
    {
        foreach (Match match in MetricName().Matches(expr))
        {
            names.Add(match.Value);
        }
    }

    [GeneratedRegex("slipway_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
