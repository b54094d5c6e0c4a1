using System.Text;
using System.Text.Json;
using Slipway.Cli.Connection;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Core.Tracking;
using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary>
/// The tracking commands' scenario every registry target must pass: runs logged through the tracker the CLI itself
/// opens (the tracking service in-process, or the MLflow-protocol client against a server), then read back with
/// <c>experiments list/show</c> and <c>runs list/show/compare</c> in both output formats.
/// </summary>
public static class TrackingScenario
{
    /// <summary>What the scenario logged.</summary>
    /// <param name="ExperimentName">The unique experiment's name.</param>
    /// <param name="ExperimentId">Its id.</param>
    /// <param name="Slow">The first run: 50 trees, AUC 0.90, finished, with a dataset and artifacts.</param>
    /// <param name="Fast">The second run: 100 trees, AUC 0.95, finished.</param>
    /// <param name="Open">The third run: no metrics, still running.</param>
    public sealed record Logged(string ExperimentName, string ExperimentId, string Slow, string Fast, string Open);

    /// <summary>Logs an experiment with three runs into <paramref name="registry"/> (a directory or a server URL).</summary>
    public static async Task<Logged> LogAsync(string registry)
    {
        var ct = CancellationToken.None;
        await using var connection = await RegistryConnection.OpenAsync(RegistryAddress.Parse(registry), TimeProvider.System, ct);
        var tracker = connection.Tracker;
        var name = "exp-" + Guid.NewGuid().ToString("N")[..10];
        var experimentId = await tracker.CreateExperimentAsync(name, null, new Dictionary<string, string> { ["team"] = "fraud" }, ct);

        // Start times an hour apart (fixed, in the past) so the default order, newest first, is known.
        const long Hour = 3_600_000;
        var start = 1_700_000_000_000L;
        var slow = await tracker.CreateRunAsync(experimentId, "slow-run", start, null, ct);
        await tracker.LogBatchAsync(
            slow.Info.RunId,
            [new Metric("auc", 0.80, start + 1, 1), new Metric("auc", 0.85, start + 2, 2), new Metric("auc", 0.90, start + 3, 3), new Metric("loss", 0.5, start + 3, 3)],
            [new Param("trees", "50"), new Param("learning_rate", "0.1")],
            [new RunTag("owner", "ana")],
            ct);
        await tracker.LogInputsAsync(
            slow.Info.RunId,
            [new DatasetInput(new Dataset("adult", "abc123", "local", "{\"uri\":\"file:///data/adult.data\"}", null, null), [new RunTag("mlflow.data.context", "training")])],
            ct);
        await tracker.LogArtifactAsync(slow.Info.RunId, "model/MLmodel", new MemoryStream(Encoding.UTF8.GetBytes("flavors: {}\n")), ct);
        await tracker.LogArtifactAsync(slow.Info.RunId, "notes.txt", new MemoryStream(Encoding.UTF8.GetBytes("hello")), ct);
        await tracker.UpdateRunAsync(slow.Info.RunId, RunStatus.Finished, start + (90 * 1000), null, ct);

        var fast = await tracker.CreateRunAsync(experimentId, "fast-run", start + Hour, null, ct);
        await tracker.LogBatchAsync(
            fast.Info.RunId,
            [new Metric("auc", 0.95, start + Hour + 1, 1), new Metric("loss", 0.4, start + Hour + 1, 1)],
            [new Param("trees", "100"), new Param("learning_rate", "0.1")],
            null,
            ct);
        await tracker.UpdateRunAsync(fast.Info.RunId, RunStatus.Finished, start + Hour + 4_200, null, ct);

        var open = await tracker.CreateRunAsync(experimentId, "open-run", start + (2 * Hour), null, ct);
        return new Logged(name, experimentId, slow.Info.RunId, fast.Info.RunId, open.Info.RunId);
    }

    /// <summary>Runs the scenario against <paramref name="registry"/>.</summary>
    public static async Task RunAsync(string registry, TempDirectory work)
    {
        var logged = await LogAsync(registry);
        Task<CliResult> Slipway(params string[] args) => SlipwayExecutable.RunAsync(work.Path, ["--registry", registry, .. args]);

        // experiments list: ours is there with its tags; a filter narrows to it; deleted ones are a separate view.
        var all = (await Slipway("--output", "json", "experiments", "list")).ShouldSucceed().Json().GetProperty("experiments").EnumerateArray().ToList();
        var listed = Assert.Single(all, e => e.GetProperty("name").GetString() == logged.ExperimentName);
        Assert.Equal(logged.ExperimentId, listed.GetProperty("experiment_id").GetString());
        Assert.Equal("active", listed.GetProperty("lifecycle_stage").GetString());
        Assert.Equal("fraud", listed.GetProperty("tags").GetProperty("team").GetString());
        Assert.StartsWith("mlflow-artifacts:/", listed.GetProperty("artifact_location").GetString(), StringComparison.Ordinal);
        Assert.Contains(all, e => e.GetProperty("name").GetString() == "Default");
        var filtered = (await Slipway("--output", "json", "experiments", "list", "--filter", $"name = '{logged.ExperimentName}'")).ShouldSucceed().Json();
        Assert.Equal(logged.ExperimentName, Assert.Single(filtered.GetProperty("experiments").EnumerateArray()).GetProperty("name").GetString());
        var deleted = (await Slipway("--output", "json", "experiments", "list", "--view", "deleted")).ShouldSucceed().Json();
        Assert.DoesNotContain(deleted.GetProperty("experiments").EnumerateArray(), e => e.GetProperty("name").GetString() == logged.ExperimentName);
        Assert.Single((await Slipway("--output", "json", "experiments", "list", "--max", "1")).ShouldSucceed().Json().GetProperty("experiments").EnumerateArray());
        var experimentsTable = (await Slipway("experiments", "list")).ShouldSucceed().StdOut;
        Assert.Contains(logged.ExperimentName, experimentsTable, StringComparison.Ordinal);

        // experiments show, by name and by id: run count and the newest runs first.
        foreach (var key in new[] { logged.ExperimentName, logged.ExperimentId })
        {
            var shown = (await Slipway("--output", "json", "experiments", "show", key)).ShouldSucceed().Json();
            Assert.Equal(logged.ExperimentId, shown.GetProperty("experiment").GetProperty("experiment_id").GetString());
            Assert.Equal(3, shown.GetProperty("run_count").GetInt64());
            Assert.Equal(
                [logged.Open, logged.Fast, logged.Slow],
                shown.GetProperty("recent_runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        }

        var experimentTable = (await Slipway("experiments", "show", logged.ExperimentName)).ShouldSucceed().StdOut;
        Assert.Contains("fast-run", experimentTable, StringComparison.Ordinal);
        Assert.Contains("tag team", experimentTable, StringComparison.Ordinal);

        // runs list: newest first by default; attributes, duration and latest metrics.
        var runs = (await Slipway("--output", "json", "runs", "list", "--experiment", logged.ExperimentName)).ShouldSucceed().Json()
            .GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([logged.Open, logged.Fast, logged.Slow], runs.Select(r => r.GetProperty("run_id").GetString()));
        Assert.Equal("RUNNING", runs[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, runs[0].GetProperty("duration_ms").ValueKind);
        Assert.Equal("fast-run", runs[1].GetProperty("run_name").GetString());
        Assert.Equal("FINISHED", runs[1].GetProperty("status").GetString());
        Assert.Equal(4_200, runs[1].GetProperty("duration_ms").GetInt64());
        Assert.Equal(0.95, runs[1].GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.Equal(0.90, runs[2].GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.Equal(logged.ExperimentId, runs[2].GetProperty("experiment_id").GetString());

        // Filter, order and limit go through MLflow's grammar; runs lacking the ordered metric come last.
        var good = (await Slipway("--output", "json", "runs", "list", "--experiment", logged.ExperimentId, "--filter", "metrics.auc > 0.92")).ShouldSucceed().Json();
        Assert.Equal([logged.Fast], good.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        var byParam = (await Slipway("--output", "json", "runs", "list", "--experiment", logged.ExperimentId, "--filter", "params.trees = '50'")).ShouldSucceed().Json();
        Assert.Equal([logged.Slow], byParam.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        var ordered = (await Slipway("--output", "json", "runs", "list", "--experiment", logged.ExperimentId, "--order-by", "metrics.auc ASC")).ShouldSucceed().Json();
        Assert.Equal([logged.Slow, logged.Fast, logged.Open], ordered.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        var top = (await Slipway("--output", "json", "runs", "list", "--experiment", logged.ExperimentId, "--order-by", "metrics.auc DESC", "--max", "1")).ShouldSucceed().Json();
        Assert.Equal([logged.Fast], top.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));

        // Without --experiment, every active experiment is searched.
        var everywhere = (await Slipway("--output", "json", "runs", "list", "--max", "1000")).ShouldSucceed().Json();
        Assert.Contains(everywhere.GetProperty("runs").EnumerateArray(), r => r.GetProperty("run_id").GetString() == logged.Fast);

        var runsTable = (await Slipway("runs", "list", "--experiment", logged.ExperimentName)).ShouldSucceed().StdOut;
        Assert.Contains("slow-run", runsTable, StringComparison.Ordinal);
        Assert.Contains("auc", runsTable, StringComparison.Ordinal);
        Assert.Contains("0.95", runsTable, StringComparison.Ordinal);
        Assert.Contains("1m 30s", runsTable, StringComparison.Ordinal);

        // runs show: params, latest metrics with their step, tags, inputs and every artifact file.
        var run = (await Slipway("--output", "json", "runs", "show", logged.Slow)).ShouldSucceed().Json();
        Assert.Equal(logged.Slow, run.GetProperty("run_id").GetString());
        Assert.Equal("slow-run", run.GetProperty("run_name").GetString());
        Assert.Equal("FINISHED", run.GetProperty("status").GetString());
        Assert.Equal(90_000, run.GetProperty("duration_ms").GetInt64());
        Assert.Equal("50", run.GetProperty("params").GetProperty("trees").GetString());
        var auc = run.GetProperty("metrics").GetProperty("auc");
        Assert.Equal(0.90, auc.GetProperty("value").GetDouble());
        Assert.Equal(3, auc.GetProperty("step").GetInt64());
        Assert.Equal("ana", run.GetProperty("tags").GetProperty("owner").GetString());
        Assert.Equal("slow-run", run.GetProperty("tags").GetProperty("mlflow.runName").GetString());
        var input = Assert.Single(run.GetProperty("inputs").EnumerateArray());
        Assert.Equal("adult", input.GetProperty("name").GetString());
        Assert.Equal("abc123", input.GetProperty("digest").GetString());
        Assert.Equal("training", input.GetProperty("context").GetString());
        var artifacts = run.GetProperty("artifacts").EnumerateArray().ToList();
        Assert.Equal(["model/MLmodel", "notes.txt"], artifacts.Select(a => a.GetProperty("path").GetString()));
        Assert.Equal(5, artifacts[1].GetProperty("size").GetInt64());
        var runTable = (await Slipway("runs", "show", logged.Slow)).ShouldSucceed().StdOut;
        Assert.Contains("model/MLmodel", runTable, StringComparison.Ordinal);
        Assert.Contains("learning_rate", runTable, StringComparison.Ordinal);

        // runs compare: params then metrics side by side, keyed by run id; a missing value is null.
        var compared = (await Slipway("--output", "json", "runs", "compare", logged.Slow, logged.Fast, logged.Open)).ShouldSucceed().Json();
        Assert.Equal([logged.Slow, logged.Fast, logged.Open], compared.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        var trees = compared.GetProperty("params").GetProperty("trees");
        Assert.Equal("50", trees.GetProperty(logged.Slow).GetString());
        Assert.Equal("100", trees.GetProperty(logged.Fast).GetString());
        Assert.Equal(JsonValueKind.Null, trees.GetProperty(logged.Open).ValueKind);
        var aucs = compared.GetProperty("metrics").GetProperty("auc");
        Assert.Equal(0.90, aucs.GetProperty(logged.Slow).GetDouble());
        Assert.Equal(0.95, aucs.GetProperty(logged.Fast).GetDouble());
        Assert.Equal(["auc", "loss"], compared.GetProperty("metrics").EnumerateObject().Select(p => p.Name));

        // The table marks rows that differ: trees differs, learning_rate does not.
        var table = (await Slipway("runs", "compare", logged.Slow, logged.Fast)).ShouldSucceed().StdOut;
        var treesRow = Assert.Single(table.Split('\n'), l => l.Contains("params.trees", StringComparison.Ordinal));
        var rateRow = Assert.Single(table.Split('\n'), l => l.Contains("params.learning_rate", StringComparison.Ordinal));
        Assert.Contains("*", treesRow, StringComparison.Ordinal);
        Assert.DoesNotContain("*", rateRow, StringComparison.Ordinal);
        Assert.Contains("slow-run", table, StringComparison.Ordinal);
        Assert.Contains("100", treesRow, StringComparison.Ordinal);
    }

    /// <summary>The metric history of a run, read through the tracker the CLI would open.</summary>
    public static async Task<IReadOnlyList<Metric>> MetricHistoryAsync(string registry, string runId, string key)
    {
        await using var connection = await RegistryConnection.OpenAsync(RegistryAddress.Parse(registry), TimeProvider.System, CancellationToken.None);
        var page = await connection.Tracker.GetMetricHistoryAsync(runId, key, null, null, CancellationToken.None);
        return page.Items;
    }
}
