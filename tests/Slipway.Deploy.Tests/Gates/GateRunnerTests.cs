using Slipway.Core.Deployment;
using Slipway.Core.Signatures;
using Slipway.Core.Statistics.Drift;
using Slipway.Deploy.Gates;
using Slipway.Monitoring.Reference;

namespace Slipway.Deploy.Tests.Gates;

public sealed class GateRunnerTests
{
    private const string IrisExample = "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n5.9,2.8,4.0,1.3\n";

    [Fact]
    public async Task A_compatible_candidate_passes_signature_and_replay_of_its_example_and_logged_traffic()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        await fixture.LogIrisTrafficAsync(current, GateFixture.IrisRows(7), TimeSpan.FromMinutes(5));
        var candidate = await fixture.RegisterAsync("iris", "iris_random_forest.onnx", columns: GateFixture.IrisColumns, exampleCsv: IrisExample);

        var run = await new GateRunner(fixture.Registry, fixture.Tracker, fixture.Monitoring, fixture.Time).RunAsync(GatePolicy.Parse(""), "champion", candidate, current, CancellationToken.None);

        Assert.True(run.Passed);
        Assert.Empty(run.Problems);
        Assert.Equal(
            [("signature", "input contract", GateOutcome.Passed), ("replay", "input example", GateOutcome.Passed), ("replay", "logged requests", GateOutcome.Passed)],
            run.Results.Select(r => (r.Gate, r.Name, r.Outcome)));
        Assert.Equal("accepts the current signature (version 1); accepts the inputs logged in the last 24h (7 rows)", run.Results[0].Detail);
        Assert.Equal("scored the input example (3 rows)", run.Results[1].Detail);
        Assert.Equal("replayed 7 logged rows without error", run.Results[2].Detail);
    }

    [Fact]
    public async Task A_candidate_that_cannot_take_the_logged_rows_fails_signature_and_replay_with_the_reasons()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        await fixture.LogIrisTrafficAsync(current, GateFixture.IrisRows(5), TimeSpan.FromMinutes(5));

        // The same model, but taking one [-1, 4] tensor: today's callers send four columns.
        var candidate = await fixture.RegisterAsync("iris");

        var run = await new GateRunner(fixture.Registry, fixture.Tracker, fixture.Monitoring, fixture.Time).RunAsync(GatePolicy.Parse(""), "champion", candidate, current, CancellationToken.None);

        Assert.False(run.Passed);
        Assert.Equal([GateOutcome.Failed, GateOutcome.Skipped, GateOutcome.Failed], run.Results.Select(r => r.Outcome));
        Assert.StartsWith("2 problems: 'inputs': the model takes tensors (input); the current signature give columns", run.Results[0].Detail, StringComparison.Ordinal);
        Assert.Equal([ContractProblemKind.KindChange, ContractProblemKind.KindChange], run.Problems.Select(p => p.Kind));
        Assert.Equal("the version has no input example", run.Results[1].Detail);
        Assert.StartsWith("5 of 5 logged rows failed; first error: Model is missing inputs ['input']", run.Results[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_type_the_logged_values_do_not_fit_fails_replay_row_by_row()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        float[][] rows = [[5.0f, 3.0f, 1.0f, 0.2f], [5.5f, 3.0f, 1.0f, 0.2f], [6.0f, 3.0f, 1.0f, 0.2f]];
        await fixture.LogIrisTrafficAsync(current, rows, TimeSpan.FromMinutes(5));

        // Declares sepal_length as long: whole logged values bind, 5.5 cannot.
        var candidate = await fixture.RegisterAsync("iris", signature: s => s with
        {
            Inputs = SignatureSchema.FromColumns(GateFixture.IrisColumns.Select(c => new ColumnSpec(c == "sepal_length" ? ColumnType.Long : ColumnType.Float, c))),
        });
        var policy = GatePolicy.Parse("gates: {signature: {enabled: false}, replay: {input_example: false}}");

        var run = await new GateRunner(fixture.Registry, fixture.Tracker, fixture.Monitoring, fixture.Time).RunAsync(policy, "champion", candidate, current, CancellationToken.None);

        var replay = Assert.Single(run.Results);
        Assert.Equal(("replay", "logged requests", GateOutcome.Failed), (replay.Gate, replay.Name, replay.Outcome));
        Assert.StartsWith("1 of 3 logged rows failed; first error: ", replay.Detail, StringComparison.Ordinal);
        Assert.Contains("sepal_length", replay.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_candidate_that_cannot_load_fails_replay_and_latency_without_throwing()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var candidate = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns, edit: dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "not a model"));
        var policy = GatePolicy.Parse("gates: {latency: {p99_ms: 100}}");

        var run = await new GateRunner(fixture.Registry, fixture.Tracker, fixture.Monitoring, fixture.Time).RunAsync(policy, "champion", candidate, null, CancellationToken.None);

        Assert.False(run.Passed);
        Assert.Equal(
            [("signature", GateOutcome.Skipped), ("replay", GateOutcome.Failed), ("latency", GateOutcome.Failed)],
            run.Results.Select(r => (r.Gate, r.Outcome)));
        Assert.Equal("no current version to compare with; the inference log folder does not exist", run.Results[0].Detail);
        Assert.StartsWith("version 1 cannot be loaded: ", run.Results[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_inference_log_the_logged_parts_are_skipped_and_the_rest_runs()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        var candidate = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns, exampleCsv: IrisExample);
        var policy = GatePolicy.Parse("gates: {drift: {enabled: true}}");

        var run = await new GateRunner(fixture.Registry, fixture.Tracker, null, fixture.Time).RunAsync(policy, "champion", candidate, current, CancellationToken.None);

        Assert.True(run.Passed);
        Assert.Equal(
            [("signature", GateOutcome.Passed), ("replay", GateOutcome.Passed), ("replay", GateOutcome.Skipped), ("drift", GateOutcome.Skipped)],
            run.Results.Select(r => (r.Gate, r.Outcome)));
        Assert.Equal("accepts the current signature (version 1); no inference log is configured", run.Results[0].Detail);
        Assert.Equal("no inference log is configured, so there are no logged requests to replay", run.Results[2].Detail);
        Assert.Equal("no inference log is configured, so there is no recent traffic to compare", run.Results[3].Detail);
    }

    [Fact]
    public async Task The_latency_budget_passes_when_generous_and_fails_when_absurdly_small()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var candidate = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns, exampleCsv: IrisExample);

        // Timing needs a clock that moves: the system clock, not the fake one.
        var runner = new GateRunner(fixture.Registry, fixture.Tracker, null, TimeProvider.System);
        var generous = await runner.RunAsync(GatePolicy.Parse("gates: {replay: {enabled: false}, latency: {p99_ms: 10000, runs: 50}}"), "champion", candidate, null, CancellationToken.None);
        var tiny = await runner.RunAsync(GatePolicy.Parse("gates: {replay: {enabled: false}, latency: {p99_ms: 0.000001}}"), "champion", candidate, null, CancellationToken.None);

        var pass = generous.Results.Single(r => r.Gate == "latency");
        Assert.Equal(("p99 <= 10000 ms", GateOutcome.Passed), (pass.Name, pass.Outcome));
        Assert.Matches(@"^p99 [0-9.E-]+ ms <= 10000 ms over 50 runs \(median [0-9.E-]+ ms; 3 rows of the input example\)$", pass.Detail);
        var fail = tiny.Results.Single(r => r.Gate == "latency");
        Assert.Equal(GateOutcome.Failed, fail.Outcome);
        Assert.Matches(@"^p99 [0-9.E-]+ ms > 1E-06 ms over 200 runs", fail.Detail);
        Assert.False(tiny.Passed);
    }

    [Fact]
    public async Task The_latency_gate_times_logged_rows_when_there_are_some()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var current = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        await fixture.LogIrisTrafficAsync(current, GateFixture.IrisRows(3), TimeSpan.FromMinutes(1));
        var candidate = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);

        // The log window is read with the fake clock's "now"; timing with it reads zero, which is within any budget.
        var run = await new GateRunner(fixture.Registry, fixture.Tracker, fixture.Monitoring, fixture.Time)
            .RunAsync(GatePolicy.Parse("gates: {replay: {enabled: false}, latency: {p99_ms: 5, runs: 10}}"), "champion", candidate, current, CancellationToken.None);

        var latency = run.Results.Single(r => r.Gate == "latency");
        Assert.Equal(GateOutcome.Passed, latency.Outcome);
        Assert.EndsWith("(median 0 ms; 3 distinct logged rows)", latency.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_drift_gate_fails_on_shifted_traffic_and_passes_on_traffic_like_the_reference()
    {
        await using var fixture = await GateFixture.CreateAsync();
        var candidate = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        var reference = Sample(new Random(1), 400, shift: 0);
        await new ReferenceStore(fixture.Time).AttachAsync(
            fixture.Registry,
            "iris",
            candidate.Version,
            GateFixture.IrisColumns.Select((c, i) => DriftColumn.Numeric(c, reference.Select(r => (double)r[i]).ToArray())).ToArray(),
            "reference.csv",
            CancellationToken.None);
        candidate = await fixture.Registry.GetModelVersionAsync("iris", candidate.Version, CancellationToken.None);
        var policy = GatePolicy.Parse("gates: {signature: {enabled: false}, replay: {enabled: false}, drift: {enabled: true, window: 1h, max_drifted_share: 0.5}}");
        var runner = new GateRunner(fixture.Registry, fixture.Tracker, fixture.Monitoring, fixture.Time);

        // Traffic drawn like the reference: no feature drifts.
        await fixture.LogIrisTrafficAsync(candidate, Sample(new Random(2), 150, shift: 0), TimeSpan.FromMinutes(30));
        var like = Assert.Single((await runner.RunAsync(policy, "champion", candidate, null, CancellationToken.None)).Results);
        Assert.Equal(("drift", "drifted share < 0.5 over 1h", GateOutcome.Passed), (like.Gate, like.Name, like.Outcome));
        // A feature may drift by chance at the 5 % level; the dataset stays below half.
        Assert.Matches(@"^[01] of 4 features drifted \(0(\.25)? < 0\.5\) over 150 logged rows against 400 reference rows", like.Detail);

        // Two hours later the earlier traffic is outside the window, and new traffic is shifted by two standard deviations.
        fixture.Time.Advance(TimeSpan.FromHours(2));
        await fixture.LogIrisTrafficAsync(candidate, Sample(new Random(3), 150, shift: 2), TimeSpan.FromMinutes(30));
        var shifted = Assert.Single((await runner.RunAsync(policy, "champion", candidate, null, CancellationToken.None)).Results);
        Assert.Equal(GateOutcome.Failed, shifted.Outcome);
        Assert.StartsWith("4 of 4 features drifted (1 >= 0.5) over 150 logged rows against 400 reference rows; most drifted: ", shifted.Detail, StringComparison.Ordinal);
        Assert.Contains("(ks p-value ", shifted.Detail, StringComparison.Ordinal);

        // Without a reference the gate cannot judge: skipped.
        var bare = await fixture.RegisterAsync("iris", columns: GateFixture.IrisColumns);
        var skipped = Assert.Single((await runner.RunAsync(policy, "champion", bare, null, CancellationToken.None)).Results);
        Assert.Equal((GateOutcome.Skipped, "version 2 has no reference data to compare traffic with"), (skipped.Outcome, skipped.Detail));
    }

    /// <summary>Iris-like rows: each feature normal around iris's mean and spread, shifted by <paramref name="shift"/> standard deviations.</summary>
    private static float[][] Sample(Random random, int count, double shift)
    {
        double[] means = [5.8, 3.0, 3.7, 1.2];
        double[] spreads = [0.8, 0.4, 1.7, 0.7];
        return Enumerable.Range(0, count).Select(_ => means.Select((m, i) =>
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return (float)(m + ((gaussian + shift) * spreads[i]));
        }).ToArray()).ToArray();
    }
}
