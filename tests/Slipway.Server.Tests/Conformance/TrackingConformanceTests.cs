using System.Text;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Conformance;

/// <summary>
/// What every <see cref="IExperimentTracker"/> must do, errors included. Runs against the in-process tracking service
/// and against the MLflow-protocol client talking to a real server, on each storage provider: passing everywhere
/// means remote and embedded tracking behave the same.
/// </summary>
public abstract class TrackingConformanceTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected IExperimentTracker Tracker { get; set; } = null!;

    protected IModelRegistry Registry { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Experiments_are_created_and_read_by_id_and_by_name()
    {
        var name = Names.Unique("exp");
        var id = await Tracker.CreateExperimentAsync(name, null, new Dictionary<string, string> { ["team"] = "fraud", ["empty"] = "" }, None);

        var byId = await Tracker.GetExperimentAsync(id, None);
        var byName = await Tracker.GetExperimentByNameAsync(name, None);
        Assert.Equal(id, byName.ExperimentId);
        Assert.Equal(name, byId.Name);
        Assert.Equal($"mlflow-artifacts:/{id}", byId.ArtifactLocation);
        Assert.Equal(LifecycleStage.Active, byId.LifecycleStage);
        Assert.Equal("fraud", byId.Tags["team"]);
        Assert.Equal("", byId.Tags["empty"]);
        Assert.True(byId.CreationTime > 1_600_000_000_000, "timestamps are milliseconds since the epoch");
        Assert.Equal(byId.CreationTime, byName.CreationTime);

        var defaultExperiment = await Tracker.GetExperimentAsync("0", None);
        Assert.Equal("Default", defaultExperiment.Name);
    }

    [Fact]
    public async Task Duplicate_and_unknown_experiments_are_reported_with_mlflow_codes()
    {
        var name = Names.Unique("exp");
        await Tracker.CreateExperimentAsync(name, null, null, None);
        var duplicate = await Assert.ThrowsAsync<RegistryException>(() => Tracker.CreateExperimentAsync(name, null, null, None));
        Assert.Equal(RegistryErrorCode.ResourceAlreadyExists, duplicate.Code);
        Assert.Contains(name, duplicate.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<RegistryException>(() => Tracker.GetExperimentAsync("987654321", None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, missing.Code);
        var missingName = await Assert.ThrowsAsync<RegistryException>(() => Tracker.GetExperimentByNameAsync(Names.Unique("nope"), None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, missingName.Code);

        var empty = await Assert.ThrowsAsync<RegistryException>(() => Tracker.CreateExperimentAsync("", null, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, empty.Code);
        Assert.Contains("name", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Experiments_are_renamed_tagged_deleted_and_restored()
    {
        var name = Names.Unique("exp");
        var renamed = Names.Unique("renamed");
        var id = await Tracker.CreateExperimentAsync(name, null, null, None);

        await Tracker.UpdateExperimentAsync(id, renamed, None);
        Assert.Equal(renamed, (await Tracker.GetExperimentAsync(id, None)).Name);

        await Tracker.SetExperimentTagAsync(id, "stage", "dev", None);
        await Tracker.SetExperimentTagAsync(id, "stage", "prod", None);
        Assert.Equal("prod", (await Tracker.GetExperimentAsync(id, None)).Tags["stage"]);
        await Tracker.DeleteExperimentTagAsync(id, "stage", None);
        Assert.False((await Tracker.GetExperimentAsync(id, None)).Tags.ContainsKey("stage"));

        var runId = (await Tracker.CreateRunAsync(id, null, null, null, None)).Info.RunId;
        await Tracker.DeleteExperimentAsync(id, None);
        Assert.Equal(LifecycleStage.Deleted, (await Tracker.GetExperimentAsync(id, None)).LifecycleStage);
        Assert.Equal(LifecycleStage.Deleted, (await Tracker.GetRunAsync(runId, None)).Info.LifecycleStage);
        var filter = $"name = '{renamed}'";
        Assert.Empty((await Tracker.SearchExperimentsAsync(filter, null, ViewType.ActiveOnly, 10, null, None)).Items);
        Assert.Single((await Tracker.SearchExperimentsAsync(filter, null, ViewType.DeletedOnly, 10, null, None)).Items);
        var intoDeleted = await Assert.ThrowsAsync<RegistryException>(() => Tracker.CreateRunAsync(id, null, null, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, intoDeleted.Code);

        await Tracker.RestoreExperimentAsync(id, None);
        Assert.Equal(LifecycleStage.Active, (await Tracker.GetExperimentAsync(id, None)).LifecycleStage);
        Assert.Equal(LifecycleStage.Active, (await Tracker.GetRunAsync(runId, None)).Info.LifecycleStage);
        Assert.Single((await Tracker.SearchExperimentsAsync(filter, null, ViewType.ActiveOnly, 10, null, None)).Items);
    }

    [Fact]
    public async Task Experiment_search_filters_orders_and_pages()
    {
        var prefix = Names.Unique("page");
        foreach (var suffix in new[] { "b", "a", "c" })
        {
            await Tracker.CreateExperimentAsync($"{prefix}-{suffix}", null, new Dictionary<string, string> { ["group"] = prefix }, None);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Tracker.SearchExperimentsAsync($"name LIKE '{prefix}-%'", ["name DESC"], ViewType.ActiveOnly, 2, token, None);
            names.AddRange(page.Items.Select(e => e.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 5);

        Assert.Equal([$"{prefix}-c", $"{prefix}-b", $"{prefix}-a"], names);
        Assert.Equal(2, pages);

        var byTag = await Tracker.SearchExperimentsAsync($"tags.group = '{prefix}'", null, ViewType.ActiveOnly, 100, null, None);
        Assert.Equal(3, byTag.Items.Count);

        var badFilter = await Assert.ThrowsAsync<RegistryException>(() => Tracker.SearchExperimentsAsync("name ~ 'x'", null, ViewType.ActiveOnly, 10, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, badFilter.Code);
        var badSize = await Assert.ThrowsAsync<RegistryException>(() => Tracker.SearchExperimentsAsync(null, null, ViewType.ActiveOnly, 50_001, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, badSize.Code);
        Assert.Contains("max_results", badSize.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_starts_running_with_its_user_name_and_artifact_root()
    {
        var experimentId = await NewExperimentAsync();
        var run = await Tracker.CreateRunAsync(experimentId, "first-run", 1_700_000_000_000, new Dictionary<string, string> { ["src"] = "probe" }, None);

        Assert.Matches("^[0-9a-f]{32}$", run.Info.RunId);
        Assert.Equal(experimentId, run.Info.ExperimentId);
        Assert.Equal("first-run", run.Info.RunName);
        Assert.Equal("tester", run.Info.UserId);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        Assert.Equal(1_700_000_000_000, run.Info.StartTime);
        Assert.Null(run.Info.EndTime);
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{run.Info.RunId}/artifacts", run.Info.ArtifactUri);
        Assert.Contains(new RunTag("mlflow.runName", "first-run"), run.Data.Tags);
        Assert.Contains(new RunTag("src", "probe"), run.Data.Tags);
        Assert.Empty(run.Data.Metrics);
        Assert.Empty(run.Inputs);

        var generated = await Tracker.CreateRunAsync(experimentId, null, null, null, None);
        Assert.False(string.IsNullOrEmpty(generated.Info.RunName));
        Assert.True(generated.Info.StartTime > 1_600_000_000_000);
        Assert.Equal(generated.Info.RunName, (await Tracker.GetRunAsync(generated.Info.RunId, None)).Info.RunName);
    }

    [Fact]
    public async Task Unknown_runs_are_not_found()
    {
        var runId = Guid.NewGuid().ToString("N");
        var error = await Assert.ThrowsAsync<RegistryException>(() => Tracker.GetRunAsync(runId, None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, error.Code);
        Assert.Contains(runId, error.Message, StringComparison.Ordinal);
        var logging = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogParamAsync(runId, "p", "1", None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, logging.Code);
        var history = await Assert.ThrowsAsync<RegistryException>(() => Tracker.GetMetricHistoryAsync(runId, "loss", null, null, None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, history.Code);
    }

    [Fact]
    public async Task Logged_values_come_back_latest_per_metric_with_full_history()
    {
        var runId = await NewRunAsync();
        await Tracker.LogMetricAsync(runId, new Metric("loss", 0.9, 1_000, 0), None);
        await Tracker.LogBatchAsync(
            runId,
            [new Metric("loss", 0.5, 2_000, 1), new Metric("loss", 0.7, 1_500, 2), new Metric("acc", 0.8, 2_000, 1)],
            [new Param("lr", "0.01"), new Param("depth", "3")],
            [new RunTag("k", "v")],
            None);
        await Tracker.LogParamAsync(runId, "lr", "0.01", None);
        await Tracker.SetTagAsync(runId, "k", "w", None);

        var run = await Tracker.GetRunAsync(runId, None);
        Assert.Equal(["acc", "loss"], run.Data.Metrics.Select(m => m.Key));
        var loss = run.Data.Metrics.Single(m => m.Key == "loss");
        Assert.Equal(new Metric("loss", 0.7, 1_500, 2), loss);
        Assert.Equal([new Param("depth", "3"), new Param("lr", "0.01")], run.Data.Params);
        Assert.Contains(new RunTag("k", "w"), run.Data.Tags);

        var history = await Tracker.GetMetricHistoryAsync(runId, "loss", null, null, None);
        Assert.Equal([0.9, 0.5, 0.7], history.Items.Select(m => m.Value));
        Assert.Equal([0L, 1L, 2L], history.Items.Select(m => m.Step));
        Assert.Null(history.NextPageToken);
        Assert.Empty((await Tracker.GetMetricHistoryAsync(runId, "never-logged", null, null, None)).Items);
    }

    [Fact]
    public async Task Metric_history_pages_through_every_point_in_order()
    {
        var runId = await NewRunAsync();
        var metrics = Enumerable.Range(0, 7).Select(i => new Metric("curve", i / 10.0, 1_000 + i, i)).ToArray();
        await Tracker.LogBatchAsync(runId, metrics, null, null, None);

        var values = new List<double>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Tracker.GetMetricHistoryAsync(runId, "curve", 3, token, None);
            Assert.True(page.Items.Count <= 3);
            values.AddRange(page.Items.Select(m => m.Value));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(metrics.Select(m => m.Value), values);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task NaN_round_trips_and_infinity_is_clamped()
    {
        var runId = await NewRunAsync();
        await Tracker.LogMetricAsync(runId, new Metric("nan", double.NaN, 1_000, 0), None);
        await Tracker.LogBatchAsync(runId, [new Metric("inf", double.PositiveInfinity, 1_000, 0), new Metric("ninf", double.NegativeInfinity, 1_000, 0)], null, null, None);

        var run = await Tracker.GetRunAsync(runId, None);
        Assert.True(double.IsNaN(run.Data.Metrics.Single(m => m.Key == "nan").Value));
        Assert.Equal(double.MaxValue, run.Data.Metrics.Single(m => m.Key == "inf").Value);
        Assert.Equal(-double.MaxValue, run.Data.Metrics.Single(m => m.Key == "ninf").Value);
        Assert.True(double.IsNaN(Assert.Single((await Tracker.GetMetricHistoryAsync(runId, "nan", null, null, None)).Items).Value));
    }

    [Fact]
    public async Task A_param_cannot_change_and_a_deleted_run_takes_no_data()
    {
        var runId = await NewRunAsync();
        await Tracker.LogParamAsync(runId, "lr", "0.01", None);
        var changed = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogParamAsync(runId, "lr", "0.02", None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, changed.Code);
        Assert.Contains("lr", changed.Message, StringComparison.Ordinal);
        var inBatch = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogBatchAsync(runId, [new Metric("m", 1, 1, 0)], [new Param("lr", "0.03")], null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, inBatch.Code);
        Assert.Empty((await Tracker.GetRunAsync(runId, None)).Data.Metrics);

        await Tracker.DeleteRunAsync(runId, None);
        Assert.Equal(LifecycleStage.Deleted, (await Tracker.GetRunAsync(runId, None)).Info.LifecycleStage);
        var deleted = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogMetricAsync(runId, new Metric("m", 1, 1, 0), None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, deleted.Code);

        await Tracker.RestoreRunAsync(runId, None);
        await Tracker.LogMetricAsync(runId, new Metric("m", 1, 1, 0), None);
        Assert.Single((await Tracker.GetRunAsync(runId, None)).Data.Metrics);
    }

    [Fact]
    public async Task Batch_limits_and_key_rules_are_enforced()
    {
        var runId = await NewRunAsync();
        var tooMany = Enumerable.Range(0, 1001).Select(i => new Metric($"m{i}", i, 1, 0)).ToArray();
        var error = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogBatchAsync(runId, tooMany, null, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("metrics", error.Message, StringComparison.Ordinal);

        var badKey = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogMetricAsync(runId, new Metric("bad\u0000key!", 1, 1, 0), None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, badKey.Code);
        var longValue = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogParamAsync(runId, "p", new string('x', 6001), None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, longValue.Code);

        var full = Enumerable.Range(0, 1000).Select(i => new Metric("loss", i, 1_000 + i, i)).ToArray();
        await Tracker.LogBatchAsync(runId, full, null, null, None);
        Assert.Equal(1000, (await Tracker.GetMetricHistoryAsync(runId, "loss", null, null, None)).Items.Count);
    }

    [Fact]
    public async Task Runs_are_updated_tagged_deleted_and_restored()
    {
        var runId = await NewRunAsync();
        var info = await Tracker.UpdateRunAsync(runId, RunStatus.Finished, 1_800_000_000_000, "renamed", None);
        Assert.Equal(RunStatus.Finished, info.Status);
        Assert.Equal(1_800_000_000_000, info.EndTime);
        Assert.Equal("renamed", info.RunName);
        var run = await Tracker.GetRunAsync(runId, None);
        Assert.Contains(new RunTag("mlflow.runName", "renamed"), run.Data.Tags);

        await Tracker.SetTagAsync(runId, "note", "x", None);
        Assert.Contains(new RunTag("note", "x"), (await Tracker.GetRunAsync(runId, None)).Data.Tags);
        await Tracker.DeleteTagAsync(runId, "note", None);
        Assert.DoesNotContain((await Tracker.GetRunAsync(runId, None)).Data.Tags, t => t.Key == "note");
        var missingTag = await Assert.ThrowsAsync<RegistryException>(() => Tracker.DeleteTagAsync(runId, "note", None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, missingTag.Code);
    }

    [Fact]
    public async Task Run_search_filters_on_metrics_params_and_attributes_and_orders_and_pages()
    {
        var experimentId = await NewExperimentAsync();
        var ids = new Dictionary<double, string>();
        foreach (var acc in new[] { 0.3, 0.9, 0.6, 0.8 })
        {
            var run = await Tracker.CreateRunAsync(experimentId, $"acc-{acc}", null, null, None);
            await Tracker.LogBatchAsync(run.Info.RunId, [new Metric("acc", acc, 1_000, 0)], [new Param("depth", acc > 0.5 ? "3" : "2")], null, None);
            ids[acc] = run.Info.RunId;
        }

        var found = await Tracker.SearchRunsAsync([experimentId], "metrics.acc > 0.5 and params.depth = '3'", ["metrics.acc DESC"], ViewType.ActiveOnly, 1000, null, None);
        Assert.Equal([ids[0.9], ids[0.8], ids[0.6]], found.Items.Select(r => r.Info.RunId));
        Assert.Equal(0.9, found.Items[0].Data.Metrics.Single().Value);

        var ascending = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Tracker.SearchRunsAsync([experimentId], null, ["metrics.acc ASC"], ViewType.ActiveOnly, 3, token, None);
            ascending.AddRange(page.Items.Select(r => r.Info.RunId));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 5);

        Assert.Equal([ids[0.3], ids[0.6], ids[0.8], ids[0.9]], ascending);
        Assert.Equal(2, pages);

        var byName = await Tracker.SearchRunsAsync([experimentId], "attributes.run_name = 'acc-0.3'", null, ViewType.ActiveOnly, 10, null, None);
        Assert.Equal([ids[0.3]], byName.Items.Select(r => r.Info.RunId));

        await Tracker.DeleteRunAsync(ids[0.3], None);
        Assert.Equal(3, (await Tracker.SearchRunsAsync([experimentId], null, null, ViewType.ActiveOnly, 10, null, None)).Items.Count);
        Assert.Equal([ids[0.3]], (await Tracker.SearchRunsAsync([experimentId], null, null, ViewType.DeletedOnly, 10, null, None)).Items.Select(r => r.Info.RunId));
        Assert.Equal(4, (await Tracker.SearchRunsAsync([experimentId], null, null, ViewType.All, 10, null, None)).Items.Count);

        var badFilter = await Assert.ThrowsAsync<RegistryException>(() => Tracker.SearchRunsAsync([experimentId], "metrics.acc >> 1", null, ViewType.ActiveOnly, 10, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, badFilter.Code);
        var badOrder = await Assert.ThrowsAsync<RegistryException>(() => Tracker.SearchRunsAsync([experimentId], null, ["metrics.acc SIDEWAYS"], ViewType.ActiveOnly, 10, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, badOrder.Code);
    }

    [Fact]
    public async Task Dataset_inputs_are_recorded_on_the_run()
    {
        var runId = await NewRunAsync();
        var dataset = new Dataset("adult", "abc123", "local", "{\"uri\": \"data/adult.data\"}", null, "{\"num_rows\": 10}");
        await Tracker.LogInputsAsync(runId, [new DatasetInput(dataset, [new RunTag("mlflow.data.context", "training")])], None);

        var input = Assert.Single((await Tracker.GetRunAsync(runId, None)).Inputs);
        Assert.Equal(dataset, input.Dataset);
        Assert.Equal([new RunTag("mlflow.data.context", "training")], input.Tags);
    }

    [Fact]
    public async Task Run_artifacts_are_uploaded_and_listed_level_by_level()
    {
        var runId = await NewRunAsync();
        await Tracker.LogArtifactAsync(runId, "notes/hello.txt", new MemoryStream(Encoding.UTF8.GetBytes("hello")), None);
        await Tracker.LogArtifactAsync(runId, "model/MLmodel", new MemoryStream(Encoding.UTF8.GetBytes("flavors: {}\n")), None);
        await Tracker.LogArtifactAsync(runId, "summary.json", new MemoryStream(Encoding.UTF8.GetBytes("{}")), None);

        var root = await Tracker.ListArtifactsAsync(runId, null, null, None);
        Assert.Equal((await Tracker.GetRunAsync(runId, None)).Info.ArtifactUri, root.RootUri);
        Assert.Equal(["model", "notes", "summary.json"], root.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.True(root.Files.Single(f => f.Path == "notes").IsDir);
        Assert.Equal(2, root.Files.Single(f => f.Path == "summary.json").Size);

        var notes = await Tracker.ListArtifactsAsync(runId, "notes", null, None);
        var hello = Assert.Single(notes.Files);
        Assert.Equal("notes/hello.txt", hello.Path);
        Assert.False(hello.IsDir);
        Assert.Equal(5, hello.Size);

        var traversal = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogArtifactAsync(runId, "../escape.txt", new MemoryStream([1]), None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, traversal.Code);
        var unknown = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogArtifactAsync(Guid.NewGuid().ToString("N"), "a.txt", new MemoryStream([1]), None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, unknown.Code);

        await Tracker.DeleteRunAsync(runId, None);
        var deleted = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogArtifactAsync(runId, "late.txt", new MemoryStream([1]), None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, deleted.Code);
        Assert.Contains("active", deleted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Artifact_locations_name_where_run_artifacts_go()
    {
        var prefix = Guid.NewGuid().ToString("N");
        var proxied = await Tracker.CreateExperimentAsync(Names.Unique("loc"), $"mlflow-artifacts://tracking.example:5000/{prefix}", null, None);
        var run = await Tracker.CreateRunAsync(proxied, null, null, null, None);
        Assert.Equal($"mlflow-artifacts://tracking.example:5000/{prefix}/{run.Info.RunId}/artifacts", run.Info.ArtifactUri);
        await Tracker.LogArtifactAsync(run.Info.RunId, "a.txt", new MemoryStream(Encoding.UTF8.GetBytes("abc")), None);
        Assert.Equal(["a.txt"], (await Tracker.ListArtifactsAsync(run.Info.RunId, null, null, None)).Files.Select(f => f.Path));
        Assert.Single(await Registry.ListArtifactsAsync($"{prefix}/{run.Info.RunId}/artifacts", None));

        var elsewhere = await Tracker.CreateExperimentAsync(Names.Unique("loc"), "s3://someone-elses-bucket/runs", null, None);
        var outside = await Tracker.CreateRunAsync(elsewhere, null, null, null, None);
        var refused = await Assert.ThrowsAsync<RegistryException>(() => Tracker.LogArtifactAsync(outside.Info.RunId, "a.txt", new MemoryStream([1]), None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, refused.Code);
        Assert.Contains("s3://someone-elses-bucket/runs", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runs_uri_registers_a_model_version_linked_to_the_run()
    {
        var runId = await NewRunAsync();
        await Tracker.LogArtifactAsync(runId, "model/MLmodel", new MemoryStream(Encoding.UTF8.GetBytes("flavors: {}\n")), None);
        await Tracker.LogArtifactAsync(runId, "model/model.onnx", new MemoryStream(Encoding.UTF8.GetBytes("onnx-bytes-" + runId)), None);
        var model = Names.Unique("tracked");
        await Registry.CreateRegisteredModelAsync(model, null, null, None);

        var version = await Registry.CreateModelVersionAsync(
            new NewModelVersion(model, $"runs:/{runId}/model", "", "", "", "", new Dictionary<string, string>()),
            None);

        Assert.Equal(ModelVersionStatus.Ready, version.Status);
        Assert.Equal(runId, version.RunId);
        var files = await Registry.GetModelVersionFilesAsync(model, version.Version, None);
        Assert.Equal(["MLmodel", "model.onnx"], files.Select(f => f.Path).Order(StringComparer.Ordinal));

        var missingRun = await Assert.ThrowsAsync<RegistryException>(() => Registry.CreateModelVersionAsync(
            new NewModelVersion(model, $"runs:/{Guid.NewGuid():N}/model", "", "", "", "", new Dictionary<string, string>()),
            None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, missingRun.Code);
    }

    private async Task<string> NewExperimentAsync() => await Tracker.CreateExperimentAsync(Names.Unique("exp"), null, null, None);

    private async Task<string> NewRunAsync()
    {
        var experimentId = await NewExperimentAsync();
        return (await Tracker.CreateRunAsync(experimentId, null, null, null, None)).Info.RunId;
    }
}
