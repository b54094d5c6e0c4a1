using System.Net;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Deployment;
using Slipway.Deploy.Canary;
using Slipway.Server.Tests.Monitoring;

namespace Slipway.Server.Tests.Canary;

/// <summary>
/// The canary controller on real serving nodes over a real registry: it rolls back a canary that errors, promotes a
/// healthy one after its window (reusing the loaded canary), rolls back one that never loaded, and when two nodes decide
/// the same canary, one decision is recorded and the other node is told it was decided elsewhere.
/// </summary>
public sealed class CanaryControllerTests : IAsyncLifetime
{
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
    public async Task A_canary_that_rejects_todays_requests_is_rolled_back_automatically_and_the_record_says_why()
    {
        var canary = await node.RegisterAsync("iris_logreg.onnx", CanaryNode.OtherColumns);
        var http = await node.StartAsync(new CanaryControllerOptions { Interval = TimeSpan.FromMilliseconds(50) });
        var promotion = await node.StartSplitAsync(stable, canary, 0.5, policy: new CanaryPolicy(WindowSeconds: 600, MinRequests: 30));
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is { CanaryLive: true }, "the canary is live");

        // Callers keep sending until the controller has seen enough and stopped the canary (the timer decides).
        var canaryErrors = 0;
        for (var i = 0; i < 5000 && await node.Store.GetDeploymentAsync(CanaryNode.Name, CanaryNode.Alias, CancellationToken.None) is not null; i++)
        {
            using var response = await CanaryNode.PostAsync(http, "/invocations", CanaryNode.TwoRows);
            if (CanaryNode.Variant(response) == "canary")
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                canaryErrors++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        Assert.Null(await node.Deployments.GetDeploymentAsync(CanaryNode.Name, CanaryNode.Alias, CancellationToken.None));
        Assert.True(canaryErrors >= 30, $"{canaryErrors} canary errors");
        var alias = await node.Registry.GetModelVersionByAliasAsync(CanaryNode.Name, CanaryNode.Alias, CancellationToken.None);
        Assert.Equal(stable, alias.Version);
        var record = (await node.Deployments.GetPromotionsAsync(CanaryNode.Name, CanaryNode.Alias, 1, CancellationToken.None)).Single();
        Assert.Equal(PromotionKind.CanaryRollback, record.Kind);
        Assert.Equal(canary, record.ToVersion);
        Assert.Equal(stable, record.FromVersion);
        Assert.StartsWith("canary error rate 100.0% vs stable 0.0% over ", record.Reason, StringComparison.Ordinal);
        Assert.EndsWith(" canary/stable requests > +1.0 points", record.Reason, StringComparison.Ordinal);

        // The node drops the split and every caller is answered by the stable version again.
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is null, "the split is gone from the node");
        var (stables, canaries, statuses) = await CanaryNode.ScoreManyAsync(http, 40);
        Assert.Equal((40, 0), (stables, canaries));
        Assert.Equal(40, statuses[HttpStatusCode.OK]);
        Assert.Null(CanaryNode.ControllerOf(node.App).GetStatistics(CanaryNode.Name));
        Assert.True(promotion < record.Id);
    }

    [Fact]
    public async Task A_healthy_canary_is_promoted_when_its_window_has_elapsed_and_the_loaded_canary_goes_live_as_it_is()
    {
        var canary = await node.RegisterAsync("iris_random_forest.onnx");
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var http = await node.StartAsync(new CanaryControllerOptions { Time = time, Interval = TimeSpan.FromHours(1) });
        var controller = CanaryNode.ControllerOf(node.App);

        // The latency limit is generous: this test is about the window; latency verdicts are the judge's tests.
        await node.StartSplitAsync(stable, canary, 0.5, policy: new CanaryPolicy(WindowSeconds: 600, MinRequests: 20, MaxLatencyRatio: 1000));
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is { CanaryLive: true }, "the canary is live");
        Assert.Equal(2, node.Loads);

        var (_, canaries, statuses) = await CanaryNode.ScoreManyAsync(http, 150);
        Assert.Equal(150, statuses[HttpStatusCode.OK]);
        Assert.True(canaries >= 20, $"{canaries} canary answers");

        // Healthy, but the window has not elapsed: nothing is decided.
        Assert.Empty(await controller.TickAsync(CancellationToken.None));
        Assert.Equal(CanaryDecision.Wait, controller.GetStatistics(CanaryNode.Name)!.Verdict!.Decision);

        time.Advance(TimeSpan.FromSeconds(601));
        var decided = Assert.Single(await controller.TickAsync(CancellationToken.None));

        Assert.Equal((CanaryDecision.Promote, CanaryEventOutcome.Concluded), (decided.Decision, decided.Outcome));
        var alias = await node.Registry.GetModelVersionByAliasAsync(CanaryNode.Name, CanaryNode.Alias, CancellationToken.None);
        Assert.Equal(canary, alias.Version);
        var record = (await node.Deployments.GetPromotionsAsync(CanaryNode.Name, CanaryNode.Alias, 1, CancellationToken.None)).Single();
        Assert.Equal(PromotionKind.CanaryPromote, record.Kind);
        Assert.StartsWith("canary healthy after its 600 s window: error rate 0.0% vs stable 0.0%", record.Reason, StringComparison.Ordinal);
        await CanaryNode.WaitUntilAsync(() => node.Served.Contract?.Version == CanaryNode.V(canary) && node.Served.Split is null, "the canary serves as the stable version");

        // No third load: the canary's runtime went live as it was.
        Assert.Equal(2, node.Loads);
        var (stables, after, _) = await CanaryNode.ScoreManyAsync(http, 20);
        Assert.Equal((20, 0), (stables, after));
        Assert.Empty(await controller.TickAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_canary_that_fails_to_load_gets_no_traffic_and_is_rolled_back()
    {
        var canary = await node.RegisterBrokenAsync();
        var http = await node.StartAsync();
        var controller = CanaryNode.ControllerOf(node.App);
        await node.StartSplitAsync(stable, canary, 0.9, policy: new CanaryPolicy());
        await CanaryNode.WaitUntilAsync(() => node.Served.CanaryFailure is not null, "the canary is rejected");

        var (stables, canaries, _) = await CanaryNode.ScoreManyAsync(http, 30);
        Assert.Equal((30, 0), (stables, canaries));
        var decided = Assert.Single(await controller.TickAsync(CancellationToken.None));

        Assert.Equal((CanaryDecision.RollBack, CanaryEventOutcome.Concluded), (decided.Decision, decided.Outcome));
        var record = (await node.Deployments.GetPromotionsAsync(CanaryNode.Name, CanaryNode.Alias, 1, CancellationToken.None)).Single();
        Assert.Equal(PromotionKind.CanaryRollback, record.Kind);
        Assert.StartsWith($"canary version {canary} failed to load: ", record.Reason, StringComparison.Ordinal);
        await CanaryNode.WaitUntilAsync(() => node.Served.Split is null && node.Served.CanaryFailure is null, "the split is gone from the node");
    }

    [Fact]
    public async Task Two_nodes_judging_the_same_canary_record_one_decision_and_the_other_is_told_it_was_decided_elsewhere()
    {
        var canary = await node.RegisterAsync("iris_logreg.onnx", CanaryNode.OtherColumns);
        await node.StartSplitAsync(stable, canary, 0.5, policy: new CanaryPolicy(MinRequests: 10));

        // The second node reads the split once at start and then not for an hour: it still runs the canary after the
        // first node has ended it, as a node that has not polled yet would.
        var first = await node.StartAsync();
        var second = await node.StartAsync(pollInterval: TimeSpan.FromHours(1));
        var hosts = node.Apps.Select(CanaryNode.HostOf).ToArray();
        await CanaryNode.WaitUntilAsync(() => hosts.All(h => h.Find(CanaryNode.Name)!.Split is { CanaryLive: true }), "both nodes run the canary");
        await CanaryNode.ScoreManyAsync(first, 100);
        await CanaryNode.ScoreManyAsync(second, 100);

        var decisions = new[]
        {
            await CanaryNode.ControllerOf(node.Apps[0]).TickAsync(CancellationToken.None),
            await CanaryNode.ControllerOf(node.Apps[1]).TickAsync(CancellationToken.None),
        };

        var all = decisions.SelectMany(d => d).ToList();
        Assert.Equal(2, all.Count);
        Assert.All(all, e => Assert.Equal(CanaryDecision.RollBack, e.Decision));
        Assert.Equal([CanaryEventOutcome.Concluded, CanaryEventOutcome.DecidedElsewhere], all.Select(e => e.Outcome));

        // Decided elsewhere is final for that split: the second node does not try again.
        Assert.Empty(await CanaryNode.ControllerOf(node.Apps[1]).TickAsync(CancellationToken.None));
        var records = await node.Deployments.GetPromotionsAsync(CanaryNode.Name, CanaryNode.Alias, 10, CancellationToken.None);
        Assert.Single(records, r => r.Kind == PromotionKind.CanaryRollback);
        var scrape = Scrape.Parse(await first.GetStringAsync("/metrics"));
        Assert.True(scrape.Sum("slipway_serving_requests_total", "status=\"4xx\",variant=\"canary\"") > 0, scrape.Text);
    }
}
