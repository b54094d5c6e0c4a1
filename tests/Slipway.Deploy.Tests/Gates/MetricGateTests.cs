using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Deploy.Gates;

namespace Slipway.Deploy.Tests.Gates;

public sealed class MetricGateTests
{
    private static GatePolicy Policy(params string[] metrics) =>
        GatePolicy.Parse("gates:\n  signature: {enabled: false}\n  replay: {enabled: false}\n  metrics:\n" + string.Concat(metrics.Select(m => $"    - \"{m}\"\n")));

    private static Dictionary<string, string> Metrics(params (string Key, string Value)[] metrics) =>
        metrics.ToDictionary(m => ProtectedTags.MetricPrefix + m.Key, m => m.Value);

    [Fact]
    public async Task A_candidate_within_the_margin_passes_and_one_below_it_fails_with_the_numbers()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", tags: Metrics(("auc", "0.872")));
        var good = await fixture.RegisterAsync("iris", tags: Metrics(("auc", "0.87")));
        var bad = await fixture.RegisterAsync("iris", tags: Metrics(("auc", "0.861")));
        var runner = new GateRunner(fixture.Registry, fixture.Tracker, null, fixture.Time);
        var policy = Policy("auc >= champion.auc - 0.01");

        var passed = await runner.RunAsync(policy, "champion", good, current, CancellationToken.None);
        var failed = await runner.RunAsync(policy, "champion", bad, current, CancellationToken.None);

        var pass = Assert.Single(passed.Results);
        Assert.Equal(("metric", "auc >= champion.auc - 0.01", GateOutcome.Passed), (pass.Gate, pass.Name, pass.Outcome));
        Assert.True(passed.Passed);
        var fail = Assert.Single(failed.Results);
        Assert.Equal(GateOutcome.Failed, fail.Outcome);
        Assert.False(failed.Passed);
        Assert.Equal("0.861 < 0.872 - 0.01 = 0.862; auc = 0.861 (version 3), champion.auc = 0.872 (version 1)", fail.Detail);
    }

    [Fact]
    public async Task Each_expression_gives_one_result_in_order_and_current_names_the_alias_target()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", tags: Metrics(("accuracy", "0.9"), ("latency_ms", "4")));
        var candidate = await fixture.RegisterAsync("iris", tags: Metrics(("accuracy", "0.95"), ("latency_ms", "5")));

        var run = await new GateRunner(fixture.Registry, fixture.Tracker, null, fixture.Time).RunAsync(
            Policy("accuracy >= 0.8", "accuracy > current.accuracy", "latency_ms <= current.latency_ms * 1.1"), "production", candidate, current, CancellationToken.None);

        Assert.Equal(
            [("accuracy >= 0.8", GateOutcome.Passed), ("accuracy > current.accuracy", GateOutcome.Passed), ("latency_ms <= current.latency_ms * 1.1", GateOutcome.Failed)],
            run.Results.Select(r => (r.Name, r.Outcome)));
        Assert.StartsWith("5 > 4 * 1.1 = 4.4", run.Results[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_current_target_a_comparison_is_skipped_but_absolute_gates_run()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var candidate = await fixture.RegisterAsync("iris", tags: Metrics(("auc", "0.5")));

        var run = await new GateRunner(fixture.Registry, fixture.Tracker, null, fixture.Time).RunAsync(
            Policy("auc >= champion.auc - 0.01", "auc >= 0.8"), "champion", candidate, null, CancellationToken.None);

        Assert.Equal(GateOutcome.Skipped, run.Results[0].Outcome);
        Assert.Contains("'champion' points to no version yet", run.Results[0].Detail, StringComparison.Ordinal);
        Assert.Equal(GateOutcome.Failed, run.Results[1].Outcome);
        Assert.Equal("0.5 < 0.8; auc = 0.5 (version 1)", run.Results[1].Detail);
    }

    [Fact]
    public async Task A_missing_candidate_metric_fails_naming_it_and_a_missing_current_metric_skips()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", tags: Metrics(("f1", "0.7")));
        var candidate = await fixture.RegisterAsync("iris", tags: Metrics(("auc", "0.9")));

        var run = await new GateRunner(fixture.Registry, fixture.Tracker, null, fixture.Time).RunAsync(
            Policy("f1 >= champion.f1", "auc >= champion.auc"), "champion", candidate, current, CancellationToken.None);

        Assert.Equal(GateOutcome.Failed, run.Results[0].Outcome);
        Assert.Equal("the candidate version 2 has no metric 'f1' (no tag slipway.metric.f1 and no run)", run.Results[0].Detail);
        Assert.Equal(GateOutcome.Skipped, run.Results[1].Outcome);
        Assert.Contains("the current version 1 of 'champion' has no metric 'auc'", run.Results[1].Detail, StringComparison.Ordinal);
        Assert.False(run.Passed);
    }

    [Fact]
    public async Task Metrics_come_from_the_tag_first_then_from_the_versions_run()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var currentRun = await fixture.RunWithMetricsAsync(("auc", 0.80), ("loss", 0.4));
        var candidateRun = await fixture.RunWithMetricsAsync(("auc", 0.70), ("loss", 0.3));
        var current = await fixture.RegisterAsync("iris", runId: currentRun);

        // The registration tag wins over the run's value (0.70).
        var candidate = await fixture.RegisterAsync("iris", runId: candidateRun, tags: Metrics(("auc", "0.85")));

        var run = await new GateRunner(fixture.Registry, fixture.Tracker, null, fixture.Time).RunAsync(
            Policy("auc >= champion.auc", "loss <= champion.loss", "recall >= 0.5"), "champion", candidate, current, CancellationToken.None);

        Assert.Equal([GateOutcome.Passed, GateOutcome.Passed, GateOutcome.Failed], run.Results.Select(r => r.Outcome));
        Assert.StartsWith("0.85 >= 0.8", run.Results[0].Detail, StringComparison.Ordinal);
        Assert.StartsWith("0.3 <= 0.4", run.Results[1].Detail, StringComparison.Ordinal);
        Assert.Contains($"run {candidateRun} logged no metric 'recall'", run.Results[2].Detail, StringComparison.Ordinal);

        // Without a tracker, run metrics cannot be read: the candidate's tagged metric still can.
        var untracked = await new GateRunner(fixture.Registry, null, null, fixture.Time).RunAsync(
            Policy("loss <= 1", "auc >= 0.8"), "champion", candidate, current, CancellationToken.None);
        Assert.Equal([GateOutcome.Failed, GateOutcome.Passed], untracked.Results.Select(r => r.Outcome));
        Assert.Contains("run metrics are not available here", untracked.Results[0].Detail, StringComparison.Ordinal);
    }
}
