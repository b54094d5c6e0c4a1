using Slipway.Core.Deployment;
using Slipway.Deploy.Canary;

namespace Slipway.Deploy.Tests.Canary;

public sealed class CanaryJudgeTests
{
    private static readonly CanaryPolicy Policy = new(WindowSeconds: 600, MinRequests: 100, MaxErrorRateIncrease: 0.01, MaxLatencyRatio: 1.5);
    private static readonly TimeSpan Floor = CanaryJudge.DefaultLatencyFloor;
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Late = TimeSpan.FromSeconds(601);

    [Fact]
    public void Rolls_back_as_soon_as_the_canary_error_rate_exceeds_stable_by_more_than_the_limit_and_says_by_how_much()
    {
        var verdict = CanaryJudge.Judge(Policy, new VariantSnapshot(1350, 0, 0.010), new VariantSnapshot(150, 18, 0.010), Early, Floor);

        Assert.Equal(CanaryDecision.RollBack, verdict.Decision);
        Assert.Equal("canary error rate 12.0% vs stable 0.0% over 150/1350 canary/stable requests > +1.0 points", verdict.Reason);
    }

    [Fact]
    public void An_error_rate_within_the_limit_is_healthy()
    {
        // 2 % against 1.5 %: half a point more, within one point.
        var verdict = CanaryJudge.Judge(Policy, new VariantSnapshot(2000, 30, 0.010), new VariantSnapshot(200, 4, 0.010), Late, Floor);

        Assert.Equal(CanaryDecision.Promote, verdict.Decision);
        Assert.Equal("canary healthy after its 600 s window: error rate 2.0% vs stable 1.5%, p99 10 ms vs 10 ms over 200/2000 canary/stable requests", verdict.Reason);
    }

    [Fact]
    public void Rolls_back_when_the_canary_p99_exceeds_the_ratio_of_stable_p99()
    {
        var verdict = CanaryJudge.Judge(Policy, new VariantSnapshot(900, 0, 0.020), new VariantSnapshot(100, 0, 0.031), Early, Floor);

        Assert.Equal(CanaryDecision.RollBack, verdict.Decision);
        Assert.Equal("canary p99 31 ms vs stable 20 ms over 100/900 canary/stable requests > 1.5x", verdict.Reason);
    }

    [Fact]
    public void Sub_millisecond_latencies_are_not_compared_below_the_floor()
    {
        // 0.9 ms against 0.1 ms is 9x, but both are under the 1 ms floor: scheduling noise, not evidence.
        var verdict = CanaryJudge.Judge(Policy, new VariantSnapshot(900, 0, 0.0001), new VariantSnapshot(100, 0, 0.0009), Late, Floor);

        Assert.Equal(CanaryDecision.Promote, verdict.Decision);
    }

    [Fact]
    public void Too_few_canary_requests_wait_even_when_they_all_failed_and_even_after_the_window()
    {
        var early = CanaryJudge.Judge(Policy, new VariantSnapshot(900, 0, 0.01), new VariantSnapshot(99, 99, 0.01), Early, Floor);
        var late = CanaryJudge.Judge(Policy, new VariantSnapshot(900, 0, 0.01), new VariantSnapshot(99, 0, 0.01), Late, Floor);

        Assert.Equal(CanaryDecision.Wait, early.Decision);
        Assert.Equal("canary has 99 of the 100 requests a decision needs", early.Reason);
        Assert.Equal(CanaryDecision.Wait, late.Decision);
        Assert.Equal("canary has 99 of the 100 requests a decision needs; the window has elapsed, waiting for more", late.Reason);
    }

    [Fact]
    public void A_healthy_canary_waits_for_its_window_then_is_promoted()
    {
        var stable = new VariantSnapshot(900, 1, 0.01);
        var canary = new VariantSnapshot(100, 0, 0.01);

        var early = CanaryJudge.Judge(Policy, stable, canary, Early, Floor);
        var late = CanaryJudge.Judge(Policy, stable, canary, Late, Floor);

        Assert.Equal(CanaryDecision.Wait, early.Decision);
        Assert.EndsWith("the window ends in 540 s", early.Reason, StringComparison.Ordinal);
        Assert.Equal(CanaryDecision.Promote, late.Decision);
    }

    [Fact]
    public void With_automatic_actions_off_the_verdict_waits_and_says_why()
    {
        var manual = Policy with { AutoPromote = false, AutoRollback = false };

        var bad = CanaryJudge.Judge(manual, new VariantSnapshot(900, 0, 0.01), new VariantSnapshot(100, 50, 0.01), Late, Floor);
        var good = CanaryJudge.Judge(manual, new VariantSnapshot(900, 0, 0.01), new VariantSnapshot(100, 0, 0.01), Late, Floor);

        Assert.Equal(CanaryDecision.Wait, bad.Decision);
        Assert.EndsWith("; automatic rollback is off", bad.Reason, StringComparison.Ordinal);
        Assert.Equal(CanaryDecision.Wait, good.Decision);
        Assert.EndsWith("; automatic promotion is off", good.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_canary_answering_everything_has_no_stable_latency_to_compare_with()
    {
        var verdict = CanaryJudge.Judge(Policy, VariantSnapshot.Empty, new VariantSnapshot(100, 0, 5), Late, Floor);

        Assert.Equal(CanaryDecision.Promote, verdict.Decision);
    }
}
