using Slipway.Deploy.Gates;

namespace Slipway.Deploy.Tests.Gates;

public sealed class GatePolicyTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("# only a comment\n")]
    [InlineData("~")]
    public void An_empty_document_is_all_defaults(string yaml)
    {
        var policy = GatePolicy.Parse(yaml);

        Assert.True(policy.Protected);
        Assert.Equal(TimeSpan.FromHours(24), policy.RecentInputs);
        Assert.True(policy.SignatureGate);
        Assert.Equal(new ReplayGateOptions(true, true, 200), policy.Replay);
        Assert.Empty(policy.Metrics);
        Assert.Null(policy.Latency);
        Assert.Null(policy.Drift);
        Assert.Equal(0.1, policy.CanaryWeight);
        Assert.Equal(string.Empty, policy.StickyKey);
        Assert.Equal(1.0, policy.ShadowShare);
        Assert.Equal(new Core.Deployment.CanaryPolicy(), policy.Canary);
    }

    [Fact]
    public void The_default_policy_of_an_alias_without_one_is_unprotected_with_signature_and_replay()
    {
        Assert.False(GatePolicy.Default.Protected);
        Assert.True(GatePolicy.Default.SignatureGate);
        Assert.True(GatePolicy.Default.Replay.Enabled);
        Assert.Empty(GatePolicy.Default.Metrics);
    }

    [Fact]
    public void Every_field_is_read()
    {
        const string yaml = """
            protected: false
            recent_inputs: 7d
            gates:
              signature: {enabled: false}
              replay:
                enabled: true
                input_example: false
                logged_requests: 0
              metrics:
                - auc >= champion.auc - 0.01
                - accuracy >= 0.8
              latency:
                p99_ms: 50
                runs: 300
              drift:
                enabled: true
                window: 30m
                max_drifted_share: 0.25
            canary:
              weight: 25
              sticky_header: X-User-Id
              window: 10m
              min_requests: 500
              max_error_rate_increase: 2.5
              max_latency_ratio: 1.2
              auto_promote: false
              auto_rollback: false
            shadow:
              percent: 30
            """;

        var policy = GatePolicy.Parse(yaml);

        Assert.False(policy.Protected);
        Assert.Equal(TimeSpan.FromDays(7), policy.RecentInputs);
        Assert.False(policy.SignatureGate);
        Assert.Equal(new ReplayGateOptions(true, false, 0), policy.Replay);
        Assert.Equal(["auc >= champion.auc - 0.01", "accuracy >= 0.8"], policy.Metrics.Select(m => m.Text));
        Assert.Equal(new LatencyGateOptions(50, 300), policy.Latency);
        Assert.Equal(new DriftGateOptions(TimeSpan.FromMinutes(30), 0.25), policy.Drift);
        Assert.Equal(0.25, policy.CanaryWeight);
        Assert.Equal("X-User-Id", policy.StickyKey);
        Assert.Equal(600, policy.Canary.WindowSeconds);
        Assert.Equal(500, policy.Canary.MinRequests);
        Assert.Equal(0.025, policy.Canary.MaxErrorRateIncrease, 12);
        Assert.Equal(1.2, policy.Canary.MaxLatencyRatio);
        Assert.False(policy.Canary.AutoPromote);
        Assert.False(policy.Canary.AutoRollback);
        Assert.Equal(0.3, policy.ShadowShare, 12);
    }

    [Fact]
    public void Gates_given_partly_keep_the_other_defaults()
    {
        var policy = GatePolicy.Parse("""
            gates:
              latency: {p99_ms: 2.5}
              drift: {window: 1h}
              replay: {logged_requests: 20}
            canary:
            """);

        Assert.Equal(new LatencyGateOptions(2.5, 200), policy.Latency);
        Assert.Null(policy.Drift); // off unless enabled
        Assert.Equal(new ReplayGateOptions(true, true, 20), policy.Replay);
        Assert.True(policy.SignatureGate);
        Assert.Equal(new Core.Deployment.CanaryPolicy(), policy.Canary);
        Assert.Equal(DriftGateOptions.Default, GatePolicy.Parse("gates: {drift: {enabled: true}}").Drift);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("24h", 86_400)]
    [InlineData("7d", 604_800)]
    [InlineData("1.5h", 5_400)]
    public void Durations_take_seconds_minutes_hours_and_days(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), GatePolicy.Parse("recent_inputs: " + text).RecentInputs);
        Assert.Equal(seconds, GatePolicy.Parse("canary: {window: " + text + "}").Canary.WindowSeconds);
    }

    [Theory]
    [InlineData("colour: red", "colour is not a known field")]
    [InlineData("- a\n- b", "the policy must be a mapping")]
    [InlineData("protected: yes", "protected must be true or false, got 'yes'")]
    [InlineData("protected: 'true'", "protected must be true or false")]
    [InlineData("recent_inputs: 24", "recent_inputs must be a duration such as 30s, 10m, 24h or 7d")]
    [InlineData("recent_inputs: 3w", "recent_inputs must be a duration")]
    [InlineData("recent_inputs: -1h", "recent_inputs must be a duration")]
    [InlineData("recent_inputs: 0s", "recent_inputs must be a duration")]
    [InlineData("gates: [signature]", "gates must be a mapping of signature, replay, metrics, latency, drift")]
    [InlineData("gates: {speed: {}}", "gates.speed is not a known field")]
    [InlineData("gates: {signature: true}", "gates.signature must be a mapping of enabled")]
    [InlineData("gates: {signature: {enabled: 1}}", "gates.signature.enabled must be true or false")]
    [InlineData("gates: {signature: {on: true}}", "gates.signature.on is not a known field")]
    [InlineData("gates: {replay: {enabled: maybe}}", "gates.replay.enabled must be true or false")]
    [InlineData("gates: {replay: {input_example: 0}}", "gates.replay.input_example must be true or false")]
    [InlineData("gates: {replay: {logged_requests: -1}}", "gates.replay.logged_requests must be a whole number from 0 to 100000")]
    [InlineData("gates: {replay: {logged_requests: 2.5}}", "gates.replay.logged_requests must be a whole number")]
    [InlineData("gates: {replay: {logged_requests: 1000000}}", "gates.replay.logged_requests must be a whole number from 0 to 100000")]
    [InlineData("gates: {metrics: auc >= 0.8}", "gates.metrics must be a list of expressions")]
    [InlineData("gates: {metrics: [auc >= 0.8, {a: b}]}", "gates.metrics[1] must be an expression")]
    [InlineData("gates: {metrics: [auc >= 0.8, 'auc >']}", "gates.metrics[1] 'auc >' is not a metric expression")]
    [InlineData("gates: {metrics: ['auc 0.8']}", "gates.metrics[0] 'auc 0.8' is not a metric expression: expected a comparison")]
    [InlineData("gates: {metrics: ['auc >= (champion.auc - 0.01']}", "gates.metrics[0] 'auc >= (champion.auc - 0.01' is not a metric expression: missing ')'")]
    [InlineData("gates: {metrics: ['auc >= 0.8 0.9']}", "gates.metrics[0] 'auc >= 0.8 0.9' is not a metric expression: unexpected '0.9'")]
    [InlineData("gates: {metrics: ['auc >= 1x']}", "gates.metrics[0] 'auc >= 1x' is not a metric expression")]
    [InlineData("gates: {metrics: ['auc >= champion.']}", "gates.metrics[0] 'auc >= champion.' is not a metric expression: metric reference 'champion.' cannot end with '.'")]
    [InlineData("gates: {latency: {}}", "gates.latency.p99_ms is required")]
    [InlineData("gates: {latency: {p99_ms: 0}}", "gates.latency.p99_ms must be a positive number")]
    [InlineData("gates: {latency: {p99_ms: -5}}", "gates.latency.p99_ms must be a positive number")]
    [InlineData("gates: {latency: {p99_ms: fast}}", "gates.latency.p99_ms must be a positive number, got 'fast'")]
    [InlineData("gates: {latency: {p99_ms: .nan}}", "gates.latency.p99_ms must be a positive number")]
    [InlineData("gates: {latency: {p99_ms: 5, runs: 0}}", "gates.latency.runs must be a whole number from 1 to 100000")]
    [InlineData("gates: {latency: {p99_ms: 5, p50_ms: 1}}", "gates.latency.p50_ms is not a known field")]
    [InlineData("gates: {drift: {enabled: true, window: soon}}", "gates.drift.window must be a duration")]
    [InlineData("gates: {drift: {enabled: true, max_drifted_share: 0}}", "gates.drift.max_drifted_share must be a number in (0, 1], got 0")]
    [InlineData("gates: {drift: {enabled: true, max_drifted_share: 1.5}}", "gates.drift.max_drifted_share must be a number in (0, 1], got 1.5")]
    [InlineData("gates: {drift: {enabled: true, threshold: 0.1}}", "gates.drift.threshold is not a known field")]
    [InlineData("canary: 10", "canary must be a mapping")]
    [InlineData("canary: {weight: 0}", "canary.weight must be a percentage in (0, 100], got 0")]
    [InlineData("canary: {weight: 150}", "canary.weight must be a percentage in (0, 100], got 150")]
    [InlineData("canary: {weight: ten}", "canary.weight must be a percentage in (0, 100], got 'ten'")]
    [InlineData("canary: {sticky_header: 'X User'}", "canary.sticky_header must be an HTTP header name")]
    [InlineData("canary: {sticky_header: [a]}", "canary.sticky_header must be an HTTP header name")]
    [InlineData("canary: {window: 10}", "canary.window must be a duration")]
    [InlineData("canary: {min_requests: -3}", "canary.min_requests must be a whole number, 0 or more")]
    [InlineData("canary: {max_error_rate_increase: -1}", "canary.max_error_rate_increase must be percentage points in [0, 100]")]
    [InlineData("canary: {max_latency_ratio: 0}", "canary.max_latency_ratio must be a positive number")]
    [InlineData("canary: {auto_promote: sometimes}", "canary.auto_promote must be true or false")]
    [InlineData("canary: {auto_rollback: 1}", "canary.auto_rollback must be true or false")]
    [InlineData("canary: {percent: 5}", "canary.percent is not a known field")]
    [InlineData("shadow: {percent: 0}", "shadow.percent must be a percentage in (0, 100]")]
    [InlineData("shadow: {percent: 101}", "shadow.percent must be a percentage in (0, 100]")]
    [InlineData("shadow: {weight: 5}", "shadow.weight is not a known field")]
    [InlineData("protected: true\nprotected: false", "protected")]
    [InlineData("gates: {signature: {enabled: true}", "the policy is not valid YAML (line ")]
    [InlineData("a: 1\n---\nb: 2", "one YAML document")]
    public void Bad_input_is_refused_naming_the_field(string yaml, string expected)
    {
        var error = Assert.Throws<GatePolicyException>(() => GatePolicy.Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
