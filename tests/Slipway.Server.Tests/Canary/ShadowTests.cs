using System.Net;
using Slipway.Server.Tests.Monitoring;

namespace Slipway.Server.Tests.Canary;

/// <summary>
/// A shadow receives mirrored requests after the caller's answer; whatever it does (fail on every request, disagree),
/// callers receive exactly what they would without it, and the comparison is counted.
/// </summary>
public sealed class ShadowTests : IAsyncLifetime
{
    /// <summary>Bodies that exercise several answer shapes: two rows, one row, a bad request.</summary>
    private static readonly (string Path, string Body)[] Requests =
    [
        ("/invocations", CanaryNode.TwoRows),
        ("/invocations", """{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [[5.9, 3.0, 4.2, 1.5]]}}"""),
        ("/v2/models/iris/infer", CanaryNode.TwoRowsV2),
        ("/invocations", """{"dataframe_split": {"columns": ["sepal_length"], "data": [[5.9]]}}"""),
    ];

    private CanaryNode node = null!;
    private long stable;

    public async Task InitializeAsync()
    {
        node = await CanaryNode.OpenAsync();
        stable = await node.RegisterAsync("iris_logreg.onnx");
        await node.SetStableAsync(stable);
    }

    public async Task DisposeAsync() => await node.DisposeAsync();

    [Fact]
    public async Task A_shadow_that_fails_on_every_request_leaves_every_answer_byte_identical_and_counts_its_errors()
    {
        // The shadow's signature wants columns no caller sends: binding fails on every mirrored request.
        var broken = await node.RegisterAsync("iris_logreg.onnx", CanaryNode.OtherColumns);
        var http = await node.StartAsync();
        var without = await AnswersAsync(http, rounds: 25);

        await node.StartSplitAsync(stable, canary: null, weight: 0, shadow: broken, shadowShare: 1);
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is { ShadowLive: true }, "the shadow is loaded");
        var with = await AnswersAsync(http, rounds: 25);

        Assert.Equal(without.Count, with.Count);
        for (var i = 0; i < without.Count; i++)
        {
            Assert.Equal(without[i], with[i]);
        }

        // 25 rounds of 3 successful answers are mirrored (the bad request is not: only answered requests are); each
        // failed on the shadow or was dropped when 4 shadow runs were already busy.
        var scrape = await WaitForShadowsAsync(http, 75);
        Assert.Equal(0, scrape.Sum("slipway_shadow_requests_total", "result=\"ok\""));
        Assert.True(scrape.Sum("slipway_shadow_requests_total", "result=\"error\"") > 0, scrape.Text);
        Assert.Equal(0, scrape.Sum("slipway_serving_requests_total", "variant=\"canary\""));
        Assert.Equal(0, scrape.Sum("slipway_serving_requests_total", "variant=\"shadow\""));
        Assert.Equal(50, scrape.Sum("slipway_serving_requests_total", "status=\"4xx\""));
        var statistics = CanaryNode.ControllerOf(node.App).GetStatistics(CanaryNode.Name)!;
        Assert.Equal(0, statistics.Shadow.Scored);
        Assert.Equal(75, statistics.Shadow.Errors + statistics.Shadow.Dropped);
        Assert.Null(statistics.Verdict);
    }

    [Fact]
    public async Task A_working_shadow_is_compared_with_the_stable_answers_and_its_results_are_discarded()
    {
        var forest = await node.RegisterAsync("iris_random_forest.onnx");
        var same = await node.RegisterAsync("iris_logreg.onnx");
        var http = await node.StartAsync();
        var without = await AnswersAsync(http, rounds: 5);
        await node.StartSplitAsync(stable, canary: null, weight: 0, shadow: forest, shadowShare: 1);
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is { ShadowLive: true }, "the shadow is loaded");

        var with = await AnswersAsync(http, rounds: 5);

        Assert.Equal(without, with);
        var scrape = await WaitForShadowsAsync(http, 15);
        var ok = scrape.Sum("slipway_shadow_requests_total", $"version=\"{CanaryNode.V(forest)}\",alias=\"champion\",result=\"ok\"");
        Assert.True(ok > 0, scrape.Text);
        Assert.Equal(ok, scrape.Sum("slipway_shadow_agreement_ratio_count", "output=\"label\""));
        Assert.Equal(ok, scrape.Sum("slipway_shadow_mean_absolute_difference_count", "output=\"probabilities\""));

        // The forest disagrees with the logistic regression on probabilities, never by more than 1.
        var statistics = CanaryNode.ControllerOf(node.App).GetStatistics(CanaryNode.Name)!;
        Assert.InRange(statistics.Shadow.MeanAbsoluteDifference!.Value, 1e-6, 1);
        Assert.InRange(statistics.Shadow.MeanAgreement!.Value, 0, 1);
        var (exitCode, output) = await Promtool.RunAsync(["check", "metrics"], scrape.Text);
        Assert.True(exitCode == 0, output);

        // A shadow of the very same model agrees on every row and differs by nothing.
        var record = (await node.Deployments.GetDeploymentAsync(CanaryNode.Name, CanaryNode.Alias, CancellationToken.None))!;
        await node.Deployments.ConcludeSplitAsync(new(CanaryNode.Name, CanaryNode.Alias, record.PromotionId, false, "done"), CancellationToken.None);
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is null, "the shadow is gone");
        await node.StartSplitAsync(stable, canary: null, weight: 0, shadow: same, shadowShare: 1);
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is { ShadowLive: true }, "the second shadow is loaded");
        for (var i = 0; i < 3; i++)
        {
            using var response = await CanaryNode.PostAsync(http, "/invocations", CanaryNode.TwoRows);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await CanaryNode.WaitUntilAsync(
            () => CanaryNode.ControllerOf(node.App).GetStatistics(CanaryNode.Name)!.Shadow is { Scored: > 0 } s && s.Scored + s.Errors + s.Dropped == 3,
            "the mirrors are counted");
        var identical = CanaryNode.ControllerOf(node.App).GetStatistics(CanaryNode.Name)!.Shadow;
        Assert.Equal(1.0, identical.MeanAgreement);
        Assert.Equal(0.0, identical.MeanAbsoluteDifference);
    }

    /// <summary>Every request of <see cref="Requests"/>, <paramref name="rounds"/> times: status, the headers callers see (not timing) and the body.</summary>
    private static async Task<List<string>> AnswersAsync(HttpClient http, int rounds)
    {
        var answers = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (path, body) in Requests)
            {
                using var response = await CanaryNode.PostAsync(http, path, body, ("X-Request-Id", $"r{round}-{path.Length}-{body.Length}"));
                var headers = string.Join(
                    "; ",
                    response.Headers.Concat(response.Content.Headers)
                        .Where(h => h.Key != "Date")
                        .OrderBy(h => h.Key, StringComparer.Ordinal)
                        .Select(h => h.Key + ": " + string.Join(",", h.Value)));
                answers.Add($"{(int)response.StatusCode} | {headers} | {await response.Content.ReadAsStringAsync()}");
            }
        }

        return answers;
    }

    private static async Task<Scrape> WaitForShadowsAsync(HttpClient http, int mirrored)
    {
        Scrape scrape = null!;
        await CanaryNode.WaitUntilAsync(
            () =>
            {
                scrape = Scrape.Parse(http.GetStringAsync("/metrics").GetAwaiter().GetResult());
                return scrape.Sum("slipway_shadow_requests_total") >= mirrored;
            },
            $"{mirrored} mirrored requests are counted");
        Assert.Equal(mirrored, scrape.Sum("slipway_shadow_requests_total"));
        return scrape;
    }
}
