using System.Globalization;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary><c>slipway quickstart</c> end to end: train, register, alias, serve, fetch back; and again.</summary>
public sealed class QuickstartTests
{
    [Fact]
    public async Task Quickstart_registers_the_champion_and_proves_the_round_trip_each_run()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var registry = work.Combine("demo");
        var first = (await SlipwayExecutable.RunAsync(work.Path, "--output", "json", "quickstart", "--dir", registry)).ShouldSucceed().Json();
        Assert.Equal(Path.GetFullPath(registry), first.GetProperty("registry").GetString());
        Assert.Equal("champion", first.GetProperty("alias").GetString());
        var version = first.GetProperty("version");
        Assert.Equal("adult-income", version.GetProperty("name").GetString());
        Assert.Equal(1, version.GetProperty("version").GetInt64());
        Assert.Equal("READY", version.GetProperty("status").GetString());
        Assert.Contains("champion", version.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));

        // The trained model is better than guessing the majority class (about 76% of the rows).
        var accuracy = first.GetProperty("metrics").GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0.80, 1.0);
        var tags = version.GetProperty("tags");
        Assert.Equal(accuracy, double.Parse(tags.GetProperty("slipway.metric.accuracy").GetString()!, CultureInfo.InvariantCulture));
        var dataset = RepoPaths.Combine("data", "adult", "adult.data");
        Assert.Equal(Hashes.OfFile(dataset), tags.GetProperty("slipway.lineage.data.0.sha256").GetString());

        // Fetched back through the REST API of a real server: same version, same bytes.
        var roundTrip = first.GetProperty("server_round_trip");
        Assert.Equal(1, roundTrip.GetProperty("version").GetInt64());
        Assert.Equal(version.GetProperty("content_digest").GetString(), roundTrip.GetProperty("content_digest").GetString());
        Assert.NotEmpty(first.GetProperty("next_steps").EnumerateArray());

        // The champion was served in the same process and answered held-out rows over both protocols, agreeing with
        // ML.NET's own predictions at training time.
        var serving = first.GetProperty("serving");
        Assert.Equal("adult-income", serving.GetProperty("model").GetString());
        Assert.Equal("1", serving.GetProperty("version").GetString());
        Assert.Equal(200, serving.GetProperty("rows").GetInt32());
        Assert.Equal(10, serving.GetProperty("mlflow_requests").GetInt32());
        Assert.Equal(200, serving.GetProperty("matching_training").GetInt32());
        Assert.InRange(serving.GetProperty("accuracy").GetDouble(), 0.75, 1.0);

        // Monitoring: every request was logged to Parquet; the drifted slice (people under 30) drifts against the
        // training data, age first; the sample's true labels were joined as feedback; the files are where it says.
        var monitoring = first.GetProperty("monitoring");
        Assert.Equal(300, monitoring.GetProperty("drifted_slice_rows").GetInt32());
        Assert.Equal(300, monitoring.GetProperty("logged_rows").GetInt64());
        Assert.True(monitoring.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal("age", monitoring.GetProperty("most_drifted")[0].GetProperty("feature").GetString());
        Assert.True(monitoring.GetProperty("most_drifted")[0].GetProperty("drifted").GetBoolean());
        Assert.Equal(200, monitoring.GetProperty("feedback_rows").GetInt32());
        Assert.Equal(serving.GetProperty("accuracy").GetDouble(), monitoring.GetProperty("live_accuracy").GetDouble(), 9);
        Assert.NotEmpty(Directory.GetFiles(monitoring.GetProperty("inference_log").GetString()!, "*.parquet"));
        Assert.NotEmpty(Directory.GetFiles(monitoring.GetProperty("profiles").GetString()!, "*.parquet"));
        Assert.Contains("age", File.ReadAllText(monitoring.GetProperty("drift_report").GetString()!), StringComparison.Ordinal);
        Assert.True(File.Exists(monitoring.GetProperty("dashboard").GetString()));
        Assert.True(File.Exists(monitoring.GetProperty("alert_rules").GetString()));

        // CI/CD: a lighter challenger (version 2) failed the strict policy's AUC gate, passed the relaxed revision as a
        // canary that the canary policy promoted on real traffic, and the rollback put the full model back after checking
        // its input contract.
        var deployment = first.GetProperty("deployment");
        Assert.Equal(2, deployment.GetProperty("challenger_version").GetInt64());
        var failedGate = Assert.Single(deployment.GetProperty("failed_gates").EnumerateArray()).GetString()!;
        Assert.StartsWith("metric auc >= champion.auc:", failedGate, StringComparison.Ordinal);
        Assert.Equal((1, 2), (deployment.GetProperty("strict_revision").GetInt64(), deployment.GetProperty("relaxed_revision").GetInt64()));
        Assert.Equal("canary_promote", deployment.GetProperty("canary_decision").GetString());
        Assert.Contains("canary healthy", deployment.GetProperty("canary_reason").GetString(), StringComparison.Ordinal);
        var sent = deployment.GetProperty("requests_sent").GetInt32();
        var byCanary = deployment.GetProperty("canary_answered").GetInt32();
        Assert.InRange(byCanary, (int)(sent * 0.4), (int)(sent * 0.6));
        Assert.Equal(1, deployment.GetProperty("rolled_back_to").GetInt64());
        Assert.Equal(0, deployment.GetProperty("rollback_problems").GetInt32());
        var records = (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "--output", "json", "deployment", "show", "adult-income", "--alias", "champion"))
            .ShouldSucceed().Json().GetProperty("promotions").EnumerateArray()
            .Select(p => $"{p.GetProperty("kind").GetString()}/{p.GetProperty("outcome").GetString()}/{p.GetProperty("to_version").GetInt64()}");
        Assert.Equal(["rollback/passed/1", "canary_promote/passed/2", "promote/canary_started/2", "promote/failed/2", "promote/passed/1"], records);
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "alias", "set", "adult-income", "champion", "2")).ShouldFailWith(1, "protected");

        // The training was tracked: the version comes from the run's model directory and links back to the run.
        var runId = first.GetProperty("run_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", runId);
        Assert.Equal(runId, version.GetProperty("run_id").GetString());
        Assert.Equal($"runs:/{runId}/model", version.GetProperty("source").GetString());
        var run = (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "--output", "json", "runs", "show", runId)).ShouldSucceed().Json();
        Assert.Equal("FINISHED", run.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("experiment_id").GetString(), run.GetProperty("experiment_id").GetString());
        var runParams = run.GetProperty("params");
        Assert.Equal("50", runParams.GetProperty("trees").GetString());
        Assert.Equal("20", runParams.GetProperty("leaves").GetString());
        Assert.Equal("0.2", runParams.GetProperty("learning_rate").GetString());
        Assert.Equal("42", runParams.GetProperty("seed").GetString());
        Assert.Equal("0.2", runParams.GetProperty("test_fraction").GetString());
        Assert.Equal(Hashes.OfFile(dataset), runParams.GetProperty("data_sha256").GetString());
        Assert.Equal(accuracy, run.GetProperty("metrics").GetProperty("accuracy").GetProperty("value").GetDouble());
        var input = Assert.Single(run.GetProperty("inputs").EnumerateArray());
        Assert.Equal("adult", input.GetProperty("name").GetString());
        Assert.Equal("training", input.GetProperty("context").GetString());
        Assert.StartsWith(input.GetProperty("digest").GetString()!, Hashes.OfFile(dataset), StringComparison.Ordinal);
        var artifacts = run.GetProperty("artifacts").EnumerateArray().Select(a => a.GetProperty("path").GetString()).ToList();
        Assert.Contains("model/MLmodel", artifacts);
        Assert.Contains("model/model.onnx", artifacts);

        // One point per boosting iteration, steps 1..50; the model improves along the way and ends at the final metrics.
        var curve = await TrackingScenario.MetricHistoryAsync(registry, runId, "test_log_loss");
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), curve.Select(m => m.Step));
        Assert.True(curve[0].Value > curve[^1].Value, $"log-loss after 1 tree {curve[0].Value}, after 50 {curve[^1].Value}");
        Assert.Equal(first.GetProperty("metrics").GetProperty("log_loss").GetDouble(), curve[^1].Value, 6);
        Assert.Equal(50, (await TrackingScenario.MetricHistoryAsync(registry, runId, "test_auc")).Count);
        var quickstartRuns = (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "--output", "json", "runs", "list", "--experiment", "quickstart"))
            .ShouldSucceed().Json().GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(runId, Assert.Single(quickstartRuns).GetProperty("run_id").GetString());

        // The package holds the ONNX model and the input example; the download matches the registry's digest.
        var target = work.Combine("champion");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "models", "download", "models:/adult-income@champion", "--out", target)).ShouldSucceed();
        Assert.Equal(version.GetProperty("content_digest").GetString(), Hashes.ContentDigest(target));
        Assert.Single(Directory.GetFiles(target, "*.onnx", SearchOption.AllDirectories));

        // Again: a new version is promoted through the (now protected) alias's gates, the history says why.
        var second = (await SlipwayExecutable.RunAsync(work.Path, "--output", "json", "quickstart", "--dir", registry)).ShouldSucceed().Json();
        Assert.Equal(3, second.GetProperty("version").GetProperty("version").GetInt64());
        Assert.Equal(3, second.GetProperty("server_round_trip").GetProperty("version").GetInt64());
        Assert.Equal(4, second.GetProperty("deployment").GetProperty("challenger_version").GetInt64());
        Assert.Equal(3, second.GetProperty("deployment").GetProperty("rolled_back_to").GetInt64());
        Assert.NotEqual(runId, second.GetProperty("run_id").GetString());
        Assert.Equal(second.GetProperty("run_id").GetString(), second.GetProperty("version").GetProperty("run_id").GetString());
        var history = (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "--output", "json", "alias", "history", "adult-income"))
            .ShouldSucceed().Json().GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([1L, 2L, 1L, 3L, 4L, 3L], history.Select(h => h.GetProperty("to_version").GetInt64()));
        var reasons = history.Select(h => h.GetProperty("reason").GetString()!).ToList();
        Assert.Equal("promote #1: quickstart", reasons[0]);
        Assert.StartsWith("canary_promote #", reasons[1], StringComparison.Ordinal);
        Assert.Contains("canary healthy", reasons[1], StringComparison.Ordinal);
        Assert.StartsWith("rollback #", reasons[2], StringComparison.Ordinal);
        Assert.EndsWith("quickstart: back to the full model", reasons[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_table_output_tells_what_to_run_next()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var result = (await SlipwayExecutable.RunAsync(work.Path, "quickstart")).ShouldSucceed();
        Assert.True(File.Exists(work.Combine(".slipway", "slipway.db")), "the default is the embedded ./.slipway");
        Assert.Contains("adult-income", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("slipway models download models:/adult-income@champion", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Training run ", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("slipway runs list --experiment quickstart", result.StdOut, StringComparison.Ordinal);
    }
}
