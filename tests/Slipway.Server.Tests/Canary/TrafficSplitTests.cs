using System.Net;
using System.Text.Json;
using Slipway.Serving.Hosting;
using Slipway.Server.Tests.Monitoring;

namespace Slipway.Server.Tests.Canary;

/// <summary>A served alias with a canary: requests split by weight (random or sticky), each answered by the variant its header names.</summary>
public sealed class TrafficSplitTests : IAsyncLifetime
{
    private CanaryNode node = null!;
    private long stable;
    private long canary;

    public async Task InitializeAsync()
    {
        node = await CanaryNode.OpenAsync();
        stable = await node.RegisterAsync("iris_logreg.onnx");
        canary = await node.RegisterAsync("iris_random_forest.onnx");
        await node.SetStableAsync(stable);
    }

    public async Task DisposeAsync() => await node.DisposeAsync();

    [Fact]
    public async Task A_canary_weighted_0_2_answers_a_share_of_2000_requests_within_4_binomial_standard_deviations()
    {
        var http = await node.StartAsync();
        var promotion = await node.StartSplitAsync(stable, canary, 0.2);
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is { CanaryLive: true }, "the canary is live");

        var (stables, canaries, statuses) = await CanaryNode.ScoreManyAsync(http, 2000);

        Assert.Equal(2000, statuses.GetValueOrDefault(HttpStatusCode.OK));
        Assert.Equal(2000, stables + canaries);
        var sd = Math.Sqrt(2000 * 0.2 * 0.8);
        Assert.InRange(canaries, 400 - (4 * sd), 400 + (4 * sd));

        // The server counted the same split, by variant, and the controller saw it against this split.
        var scrape = Scrape.Parse(await http.GetStringAsync("/metrics"));
        Assert.Equal(canaries, scrape.Sum("slipway_serving_requests_total", $"version=\"{CanaryNode.V(canary)}\",alias=\"champion\",protocol=\"mlflow\",status=\"2xx\",variant=\"canary\""));
        Assert.Equal(stables, scrape.Sum("slipway_serving_requests_total", $"version=\"{CanaryNode.V(stable)}\",alias=\"champion\",protocol=\"mlflow\",status=\"2xx\",variant=\"stable\""));
        Assert.Equal(canaries, scrape.Sum("slipway_serving_request_duration_seconds_count", "variant=\"canary\""));
        Assert.Equal(0.2, scrape.Sum("slipway_serving_traffic_share", "variant=\"canary\""), 6);
        var (exitCode, output) = await Promtool.RunAsync(["check", "metrics"], scrape.Text);
        Assert.True(exitCode == 0, output);
        Assert.Equal(string.Empty, output.Trim());
        var statistics = CanaryNode.ControllerOf(node.App).GetStatistics(CanaryNode.Name)!;
        Assert.Equal(promotion, statistics.State.PromotionId);
        Assert.Equal(canaries, statistics.Canary.Requests);
        Assert.Equal(stables, statistics.Stable.Requests);
    }

    [Fact]
    public async Task Each_variant_answers_with_its_own_version_and_V2_can_address_the_canary_version()
    {
        var http = await node.StartAsync();
        await node.StartSplitAsync(stable, canary, 0.5);
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is { CanaryLive: true }, "the canary is live");

        var seen = new HashSet<string>();
        for (var i = 0; i < 60; i++)
        {
            using var response = await CanaryNode.PostAsync(http, "/v2/models/iris/infer", CanaryNode.TwoRowsV2);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var version = document.RootElement.GetProperty("model_version").GetString()!;
            Assert.Equal(CanaryNode.Variant(response) == "canary" ? CanaryNode.V(canary) : CanaryNode.V(stable), version);
            seen.Add(CanaryNode.Variant(response));
        }

        Assert.Equal(["canary", "stable"], seen.Order());

        using var pinned = await CanaryNode.PostAsync(http, $"/v2/models/iris/versions/{canary}/infer", CanaryNode.TwoRowsV2);
        Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);
        Assert.Equal("canary", CanaryNode.Variant(pinned));
        using var ready = await http.GetAsync($"/v2/models/iris/versions/{canary}/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var metadata = await http.GetAsync($"/v2/models/iris/versions/{canary}");
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        using var missing = await CanaryNode.PostAsync(http, "/v2/models/iris/versions/99/infer", CanaryNode.TwoRowsV2);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_sticky_key_sends_the_same_value_to_the_same_variant_and_values_split_by_their_hash()
    {
        var http = await node.StartAsync();
        await node.StartSplitAsync(stable, canary, 0.3, stickyKey: "X-User");
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is { CanaryLive: true }, "the canary is live");

        const int users = 400;
        var onCanary = 0;
        for (var user = 0; user < users; user++)
        {
            var key = "user-" + user;
            var expected = TrafficSplit.StickyHash(key) % TrafficSplit.Scale < 3000 ? "canary" : "stable";
            for (var repeat = 0; repeat < 3; repeat++)
            {
                using var response = await CanaryNode.PostAsync(http, repeat == 1 ? "/v2/models/iris/infer" : "/invocations", repeat == 1 ? CanaryNode.TwoRowsV2 : CanaryNode.TwoRows, ("X-User", key));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(expected, CanaryNode.Variant(response));
            }

            onCanary += expected == "canary" ? 1 : 0;
        }

        var sd = Math.Sqrt(users * 0.3 * 0.7);
        Assert.InRange(onCanary, (users * 0.3) - (4 * sd), (users * 0.3) + (4 * sd));

        // Without the header the split is random, so both variants answer.
        var (stables, canaries, _) = await CanaryNode.ScoreManyAsync(http, 200);
        Assert.True(stables > 0 && canaries > 0, $"{stables} stable, {canaries} canary");
    }

    [Fact]
    public async Task Without_a_split_every_answer_is_stable_and_the_variant_label_says_so()
    {
        var http = await node.StartAsync();

        var (stables, canaries, statuses) = await CanaryNode.ScoreManyAsync(http, 50);

        Assert.Equal((50, 0), (stables, canaries));
        Assert.Equal(50, statuses[HttpStatusCode.OK]);
        Assert.Null(node.Served.Split);
        var scrape = Scrape.Parse(await http.GetStringAsync("/metrics"));
        Assert.Equal(50, scrape.Sum("slipway_serving_requests_total", "variant=\"stable\""));
        Assert.Equal(0, scrape.Sum("slipway_serving_requests_total", "variant=\"canary\""));
    }
}
