using System.Text;
using System.Text.RegularExpressions;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;

namespace Slipway.Core.Tests.Tracking;

public sealed partial class TrackingServiceTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private TrackingHarness _h = null!;

    private TrackingService Tracker => _h.Tracker;

    public async Task InitializeAsync() => _h = await TrackingHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static async Task<RegistryException> Fails(RegistryErrorCode code, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }

    private static Task<RegistryException> Invalid(Func<Task> action) => Fails(RegistryErrorCode.InvalidParameterValue, action);

    // ---- experiments ----

    [Fact]
    public async Task CreateExperiment_GetByIdAndName()
    {
        var id = await Tracker.CreateExperimentAsync("fraud", null, new Dictionary<string, string> { ["team"] = "risk" }, None);

        var experiment = await Tracker.GetExperimentAsync(id, None);
        Assert.Equal("fraud", experiment.Name);
        Assert.Equal("mlflow-artifacts:/" + id, experiment.ArtifactLocation);
        Assert.Equal("risk", experiment.Tags["team"]);
        Assert.Equal(TrackingHarness.Start.ToUnixTimeMilliseconds(), experiment.CreationTime);
        Assert.Equal(id, (await Tracker.GetExperimentByNameAsync("fraud", None)).ExperimentId);
        await Fails(RegistryErrorCode.ResourceAlreadyExists, () => Tracker.CreateExperimentAsync("fraud", null, null, None));
    }

    [Fact]
    public async Task Experiment_BadInput()
    {
        Assert.Equal("Invalid experiment name: ''", (await Invalid(() => Tracker.CreateExperimentAsync("", null, null, None))).Message);
        Assert.Equal("'name' exceeds the maximum length of 500 characters", (await Invalid(() => Tracker.CreateExperimentAsync(new string('e', 501), null, null, None))).Message);
        Assert.Contains("Artifact location cannot be a runs:/ URI", (await Invalid(() => Tracker.CreateExperimentAsync("x", "runs:/abc/model", null, None))).Message, StringComparison.Ordinal);
        Assert.Equal("'value' exceeds the maximum length of 5000 characters",
            (await Invalid(() => Tracker.CreateExperimentAsync("x", null, new Dictionary<string, string> { ["k"] = new string('v', 5001) }, None))).Message);
        Assert.Contains("for parameter 'key'", (await Invalid(() => Tracker.CreateExperimentAsync("x", null, new Dictionary<string, string> { ["a*b"] = "v" }, None))).Message, StringComparison.Ordinal);
        Assert.Equal("Invalid experiment ID: 'abc'", (await Invalid(() => Tracker.GetExperimentAsync("abc", None))).Message);
        Assert.Equal("No Experiment with id=987654 exists", (await Fails(RegistryErrorCode.ResourceDoesNotExist, () => Tracker.GetExperimentAsync("987654", None))).Message);
        await Fails(RegistryErrorCode.ResourceDoesNotExist, () => Tracker.GetExperimentByNameAsync("nope-" + Guid.NewGuid(), None));
        await Invalid(() => Tracker.DeleteExperimentAsync("0", None));
    }

    [Fact]
    public async Task Experiment_RenameTagDeleteRestore()
    {
        var id = await _h.NewExperimentAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(5));

        await Tracker.UpdateExperimentAsync(id, "renamed-" + id, None);
        await Tracker.SetExperimentTagAsync(id, "owner", "bob", None);
        var experiment = await Tracker.GetExperimentAsync(id, None);
        Assert.Equal("renamed-" + id, experiment.Name);
        Assert.Equal("bob", experiment.Tags["owner"]);
        Assert.Equal(TrackingHarness.Start.AddSeconds(5).ToUnixTimeMilliseconds(), experiment.LastUpdateTime);

        await Tracker.DeleteExperimentTagAsync(id, "owner", None);
        await Tracker.DeleteExperimentAsync(id, None);
        Assert.Equal(LifecycleStage.Deleted, (await Tracker.GetExperimentAsync(id, None)).LifecycleStage);
        await Fails(RegistryErrorCode.InvalidState, () => Tracker.UpdateExperimentAsync(id, "again", None));
        await Invalid(() => Tracker.SetExperimentTagAsync(id, "k", "v", None));
        await Invalid(() => Tracker.CreateRunAsync(id, null, null, null, None));

        await Tracker.RestoreExperimentAsync(id, None);
        Assert.Equal(LifecycleStage.Active, (await Tracker.GetExperimentAsync(id, None)).LifecycleStage);
        await Fails(RegistryErrorCode.ResourceDoesNotExist, () => Tracker.RestoreExperimentAsync(id, None));
    }

    [Fact]
    public async Task SearchExperiments_FilterOrderAndLimits()
    {
        var prefix = "search-" + Guid.NewGuid().ToString("N")[..6];
        var a = await Tracker.CreateExperimentAsync(prefix + "-a", null, new Dictionary<string, string> { ["kind"] = "x" }, None);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var b = await Tracker.CreateExperimentAsync(prefix + "-b", null, null, None);

        var page = await Tracker.SearchExperimentsAsync($"name LIKE '{prefix}%'", ["name DESC"], ViewType.ActiveOnly, 10, null, None);
        Assert.Equal([b, a], page.Items.Select(e => e.ExperimentId));

        var tagged = await Tracker.SearchExperimentsAsync("tags.kind = 'x'", null, ViewType.All, 10, null, None);
        Assert.Equal(a, Assert.Single(tagged.Items).ExperimentId);

        Assert.Contains("It must be at most 50000", (await Invalid(() => Tracker.SearchExperimentsAsync(null, null, ViewType.ActiveOnly, 50_001, null, None))).Message, StringComparison.Ordinal);
        await Invalid(() => Tracker.SearchExperimentsAsync(null, null, ViewType.ActiveOnly, 0, null, None));
        await Invalid(() => Tracker.SearchExperimentsAsync("metrics.x > 1", null, ViewType.ActiveOnly, 10, null, None));
        await Invalid(() => Tracker.SearchExperimentsAsync(null, ["tags.kind"], ViewType.ActiveOnly, 10, null, None));
        await Invalid(() => Tracker.SearchExperimentsAsync(null, null, (ViewType)7, 10, null, None));
    }

    // ---- runs ----

    [Fact]
    public async Task CreateRun_DecidesIdNameUserTimeAndArtifactUri()
    {
        var experimentId = await _h.NewExperimentAsync();

        var run = await Tracker.CreateRunAsync(experimentId, null, null, null, None);

        Assert.Matches(HexId(), run.Info.RunId);
        Assert.Matches(GeneratedName(), run.Info.RunName);
        Assert.Contains(new RunTag(TrackingService.RunNameTag, run.Info.RunName), run.Data.Tags);
        Assert.Equal("alice", run.Info.UserId);
        Assert.Equal(TrackingHarness.Start.ToUnixTimeMilliseconds(), run.Info.StartTime);
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{run.Info.RunId}/artifacts", run.Info.ArtifactUri);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        Assert.Null(run.Info.EndTime);
    }

    [Fact]
    public async Task CreateRun_NameFromArgumentOrTag_UserFromTag()
    {
        var experimentId = await _h.NewExperimentAsync();

        var named = await Tracker.CreateRunAsync(experimentId, "first", 42, null, None);
        var tagged = await Tracker.CreateRunAsync(experimentId, null, null, new Dictionary<string, string> { ["mlflow.runName"] = "second", ["mlflow.user"] = "carol" }, None);
        var both = await Tracker.CreateRunAsync(experimentId, "third", null, new Dictionary<string, string> { ["mlflow.runName"] = "third" }, None);

        Assert.Equal(("first", 42L), (named.Info.RunName, named.Info.StartTime));
        Assert.Contains(new RunTag("mlflow.runName", "first"), named.Data.Tags);
        Assert.Equal(("second", "carol"), (tagged.Info.RunName, tagged.Info.UserId));
        Assert.Equal("third", both.Info.RunName);

        var e = await Invalid(() => Tracker.CreateRunAsync(experimentId, "a", null, new Dictionary<string, string> { ["mlflow.runName"] = "b" }, None));
        Assert.Contains("Both 'run_name' argument and 'mlflow.runName' tag are specified", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRun_BadInput()
    {
        await Fails(RegistryErrorCode.ResourceDoesNotExist, () => Tracker.CreateRunAsync("987654", null, null, null, None));
        await Invalid(() => Tracker.CreateRunAsync("x1", null, null, null, None));
        await Invalid(() => Tracker.CreateRunAsync("0", null, -1, null, None));
        await Invalid(() => Tracker.CreateRunAsync("0", null, null, new Dictionary<string, string> { ["bad key!"] = "v" }, None));
        await Invalid(() => Tracker.CreateRunAsync("0", null, null, new Dictionary<string, string> { ["k"] = new string('v', 8001) }, None));
    }

    [Fact]
    public async Task GetRun_BadOrUnknownId()
    {
        Assert.Equal("Invalid value \"-bad\" for parameter 'run_id' supplied.", (await Invalid(() => Tracker.GetRunAsync("-bad", None))).Message);
        await Invalid(() => Tracker.GetRunAsync("", None));
        var missing = Guid.NewGuid().ToString("N");
        Assert.Equal($"Run with id={missing} not found", (await Fails(RegistryErrorCode.ResourceDoesNotExist, () => Tracker.GetRunAsync(missing, None))).Message);
        await Fails(RegistryErrorCode.ResourceDoesNotExist, () => Tracker.LogBatchAsync(missing, [], [], [], None));
    }

    [Fact]
    public async Task LogMetricParamTag_AppearOnTheRun_InfinityClampedNaNKept()
    {
        var run = await _h.NewRunAsync();
        var id = run.Info.RunId;

        await Tracker.LogMetricAsync(id, new Metric("up", double.PositiveInfinity, 1, 0), None);
        await Tracker.LogMetricAsync(id, new Metric("down", double.NegativeInfinity, 1, 0), None);
        await Tracker.LogMetricAsync(id, new Metric("nan", double.NaN, 1, 0), None);
        await Tracker.LogParamAsync(id, "lr", "0.1", None);
        await Tracker.LogParamAsync(id, "lr", "0.1", None);
        await Tracker.SetTagAsync(id, "team", "risk", None);

        var data = (await Tracker.GetRunAsync(id, None)).Data;
        Assert.Equal(double.MaxValue, data.Metrics.Single(m => m.Key == "up").Value);
        Assert.Equal(-double.MaxValue, data.Metrics.Single(m => m.Key == "down").Value);
        Assert.True(double.IsNaN(data.Metrics.Single(m => m.Key == "nan").Value));
        Assert.Contains(new Param("lr", "0.1"), data.Params);
        Assert.Contains(new RunTag("team", "risk"), data.Tags);
        await Invalid(() => Tracker.LogParamAsync(id, "lr", "0.2", None));
    }

    [Theory]
    [InlineData("a*b", "Names may only contain alphanumerics")]
    [InlineData("../x", "This name would resolve to '../x'")]
    [InlineData("a//b", "This name would resolve to 'a/b'")]
    [InlineData("/abs", "This name would resolve to '/abs'")]
    [InlineData(".", "This name would resolve to '.'")]
    [InlineData("a/./b", "This name would resolve to 'a/b'")]
    public async Task Keys_MlflowCharactersAndNoPathTricks(string key, string problem)
    {
        var run = await _h.NewRunAsync();
        var id = run.Info.RunId;

        Assert.Contains(problem, (await Invalid(() => Tracker.LogMetricAsync(id, new Metric(key, 1, 1, 0), None))).Message, StringComparison.Ordinal);
        Assert.Contains(problem, (await Invalid(() => Tracker.LogParamAsync(id, key, "v", None))).Message, StringComparison.Ordinal);
        Assert.Contains(problem, (await Invalid(() => Tracker.SetTagAsync(id, key, "v", None))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_AllowedForms()
    {
        var run = await _h.NewRunAsync();

        await Tracker.LogBatchAsync(run.Info.RunId, [new Metric("val/loss-1.x y:z", 1, 1, 0)], [new Param("a_b.c", "v")], [new RunTag("mlflow.note.content", "n")], None);

        Assert.Single((await Tracker.GetRunAsync(run.Info.RunId, None)).Data.Metrics);
    }

    [Fact]
    public async Task Lengths_KeyParamValueTagValue()
    {
        var id = (await _h.NewRunAsync()).Info.RunId;

        await Tracker.LogParamAsync(id, new string('k', 250), new string('v', 6000), None);
        await Tracker.SetTagAsync(id, "t", new string('v', 8000), None);

        Assert.Equal("'Metric name' exceeds the maximum length of 250 characters", (await Invalid(() => Tracker.LogMetricAsync(id, new Metric(new string('k', 251), 1, 1, 0), None))).Message);
        Assert.Equal("'Param key' exceeds the maximum length of 250 characters", (await Invalid(() => Tracker.LogParamAsync(id, new string('k', 251), "v", None))).Message);
        Assert.Equal("'Param value' exceeds the maximum length of 6000 characters", (await Invalid(() => Tracker.LogParamAsync(id, "p2", new string('v', 6001), None))).Message);
        Assert.Equal("'value' exceeds the maximum length of 8000 characters", (await Invalid(() => Tracker.SetTagAsync(id, "t2", new string('v', 8001), None))).Message);
        Assert.Equal("'tags[0].value' exceeds the maximum length of 8000 characters", (await Invalid(() => Tracker.LogBatchAsync(id, null, null, [new RunTag("t3", new string('v', 8001))], None))).Message);
        Assert.Contains("parameter 'timestamp'", (await Invalid(() => Tracker.LogMetricAsync(id, new Metric("m", 1, -1, 0), None))).Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'metrics[1].timestamp'", (await Invalid(() => Tracker.LogBatchAsync(id, [new Metric("m", 1, 1, 0), new Metric("m", 1, -5, 0)], null, null, None))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1001, 0, 0, "at most 1000 metrics. Got 1001 metrics.")]
    [InlineData(0, 101, 0, "at most 100 params. Got 101 params.")]
    [InlineData(0, 0, 101, "at most 100 tags. Got 101 tags.")]
    [InlineData(901, 50, 50, "at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags.")]
    public async Task LogBatch_Limits(int metrics, int parameters, int tags, string problem)
    {
        var id = (await _h.NewRunAsync()).Info.RunId;

        var e = await Invalid(() => Tracker.LogBatchAsync(
            id,
            [.. Enumerable.Range(0, metrics).Select(i => new Metric("m", i, 1, i))],
            [.. Enumerable.Range(0, parameters).Select(i => new Param("p" + i, "v"))],
            [.. Enumerable.Range(0, tags).Select(i => new RunTag("t" + i, "v"))],
            None));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Empty((await Tracker.GetRunAsync(id, None)).Data.Metrics);
    }

    [Fact]
    public async Task LogBatch_AtTheLimits_IsAccepted_AndAtomic()
    {
        var id = (await _h.NewRunAsync()).Info.RunId;

        await Tracker.LogBatchAsync(id, [.. Enumerable.Range(0, 800).Select(i => new Metric("m", i, 1, i))], [.. Enumerable.Range(0, 100).Select(i => new Param("p" + i, "v"))], [.. Enumerable.Range(0, 100).Select(i => new RunTag("t" + i, "v"))], None);

        var history = await Tracker.GetMetricHistoryAsync(id, "m", null, null, None);
        Assert.Equal(800, history.Items.Count);
    }

    [Fact]
    public async Task LogBatch_DuplicateParams()
    {
        var id = (await _h.NewRunAsync()).Info.RunId;

        await Tracker.LogBatchAsync(id, null, [new Param("a", "1"), new Param("a", "1")], null, None);
        var e = await Invalid(() => Tracker.LogBatchAsync(id, null, [new Param("b", "1"), new Param("b", "2"), new Param("c", "1")], null, None));

        Assert.Equal("Duplicate parameter keys have been submitted: ['b']. Please ensure the request contains only one param value per param key.", e.Message);
        Assert.Equal([new Param("a", "1")], (await Tracker.GetRunAsync(id, None)).Data.Params);
    }

    [Fact]
    public async Task RunNameTag_RenamesTheRun_AndUpdateRunRenames()
    {
        var id = (await _h.NewRunAsync("before")).Info.RunId;

        await Tracker.SetTagAsync(id, "mlflow.runName", "after", None);
        Assert.Equal("after", (await Tracker.GetRunAsync(id, None)).Info.RunName);

        _h.Time.Advance(TimeSpan.FromMinutes(1));
        var info = await Tracker.UpdateRunAsync(id, RunStatus.Finished, _h.Time.GetUtcNow().ToUnixTimeMilliseconds(), "final", None);

        Assert.Equal((RunStatus.Finished, "final"), (info.Status, info.RunName));
        Assert.Equal(TrackingHarness.Start.AddMinutes(1).ToUnixTimeMilliseconds(), info.EndTime);
        Assert.Contains(new RunTag("mlflow.runName", "final"), (await Tracker.GetRunAsync(id, None)).Data.Tags);
        await Invalid(() => Tracker.UpdateRunAsync(id, null, -3, null, None));
    }

    [Fact]
    public async Task DeleteRestoreRun_AndNoLoggingToDeletedRuns()
    {
        var id = (await _h.NewRunAsync()).Info.RunId;

        await Tracker.DeleteRunAsync(id, None);
        Assert.Equal(LifecycleStage.Deleted, (await Tracker.GetRunAsync(id, None)).Info.LifecycleStage);
        await Invalid(() => Tracker.LogMetricAsync(id, new Metric("m", 1, 1, 0), None));
        await Invalid(() => Tracker.UpdateRunAsync(id, RunStatus.Failed, null, null, None));

        await Tracker.RestoreRunAsync(id, None);
        await Tracker.LogMetricAsync(id, new Metric("m", 1, 1, 0), None);
        await Fails(RegistryErrorCode.ResourceDoesNotExist, () => Tracker.DeleteRunAsync(Guid.NewGuid().ToString("N"), None));
    }

    [Fact]
    public async Task DeleteTag()
    {
        var id = (await _h.NewRunAsync()).Info.RunId;
        await Tracker.SetTagAsync(id, "k", "v", None);

        await Tracker.DeleteTagAsync(id, "k", None);

        Assert.DoesNotContain((await Tracker.GetRunAsync(id, None)).Data.Tags, t => t.Key == "k");
        await Fails(RegistryErrorCode.ResourceDoesNotExist, () => Tracker.DeleteTagAsync(id, "k", None));
        await Invalid(() => Tracker.DeleteTagAsync(id, "", None));
    }

    [Fact]
    public async Task MetricHistory_AllPointsInOrder_AndLimits()
    {
        var id = (await _h.NewRunAsync()).Info.RunId;
        await Tracker.LogBatchAsync(id, [new Metric("loss", 3, 10, 2), new Metric("loss", 1, 10, 0), new Metric("loss", 2, 10, 1)], null, null, None);

        var history = await Tracker.GetMetricHistoryAsync(id, "loss", null, null, None);

        Assert.Equal([1.0, 2.0, 3.0], history.Items.Select(m => m.Value));
        await Invalid(() => Tracker.GetMetricHistoryAsync(id, "", null, null, None));
        await Invalid(() => Tracker.GetMetricHistoryAsync(id, "loss", 0, null, None));
        await Invalid(() => Tracker.GetMetricHistoryAsync("bad id", "loss", null, null, None));
    }

    [Fact]
    public async Task SearchRuns_FilterAndOrder()
    {
        var experimentId = await _h.NewExperimentAsync();
        var ids = new List<string>();
        foreach (var (name, rmse, model) in new[] { ("r1", 0.5, "tree"), ("r2", 0.2, "tree"), ("r3", 0.9, "linear") })
        {
            var run = await Tracker.CreateRunAsync(experimentId, name, null, null, None);
            await Tracker.LogBatchAsync(run.Info.RunId, [new Metric("rmse", rmse, 1, 0)], [new Param("model", model)], null, None);
            ids.Add(run.Info.RunId);
            _h.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await Tracker.SearchRunsAsync([experimentId], "params.model = 'tree' AND metrics.rmse < 0.6", ["metrics.rmse ASC"], ViewType.ActiveOnly, 100, null, None);
        Assert.Equal([ids[1], ids[0]], page.Items.Select(r => r.Info.RunId));

        var byName = await Tracker.SearchRunsAsync([experimentId], "tags.mlflow.runName = 'r3'", null, ViewType.ActiveOnly, 100, null, None);
        Assert.Equal(ids[2], Assert.Single(byName.Items).Info.RunId);

        var byAttribute = await Tracker.SearchRunsAsync([experimentId], "attributes.run_name = 'r3'", null, ViewType.ActiveOnly, 100, null, None);
        Assert.Equal(ids[2], Assert.Single(byAttribute.Items).Info.RunId);

        var newestFirst = await Tracker.SearchRunsAsync([experimentId], null, null, ViewType.ActiveOnly, 100, null, None);
        Assert.Equal([ids[2], ids[1], ids[0]], newestFirst.Items.Select(r => r.Info.RunId));

        Assert.Empty((await Tracker.SearchRunsAsync([], null, null, ViewType.ActiveOnly, 100, null, None)).Items);
    }

    [Fact]
    public async Task SearchRuns_BadInput()
    {
        await Invalid(() => Tracker.SearchRunsAsync(["0"], "metrics.x LIKE 'a'", null, ViewType.ActiveOnly, 10, null, None));
        await Invalid(() => Tracker.SearchRunsAsync(["0"], null, ["metrics.x SIDEWAYS"], ViewType.ActiveOnly, 10, null, None));
        await Invalid(() => Tracker.SearchRunsAsync(["zero"], null, null, ViewType.ActiveOnly, 10, null, None));
        Assert.Equal("Invalid value for request parameter max_results. It must be at most 50000, but got value 50001",
            (await Invalid(() => Tracker.SearchRunsAsync(["0"], null, null, ViewType.ActiveOnly, 50_001, null, None))).Message);
        await Invalid(() => Tracker.SearchRunsAsync(["0"], null, null, ViewType.ActiveOnly, 0, null, None));
        await Invalid(() => Tracker.SearchRunsAsync(["0"], null, null, (ViewType)9, 10, null, None));
    }

    // ---- datasets ----

    [Fact]
    public async Task LogInputs_AndLimits()
    {
        var id = (await _h.NewRunAsync()).Info.RunId;
        var dataset = new Dataset("adult", "abc123", "local", "{\"path\":\"adult.data\"}", null, null);

        await Tracker.LogInputsAsync(id, [new DatasetInput(dataset, [new RunTag("mlflow.data.context", "training")])], None);

        Assert.Equal("adult", Assert.Single((await Tracker.GetRunAsync(id, None)).Inputs).Dataset.Name);
        Assert.Equal("'digest' exceeds the maximum length of 36 characters",
            (await Invalid(() => Tracker.LogInputsAsync(id, [new DatasetInput(dataset with { Digest = new string('d', 37) }, [])], None))).Message);
        Assert.Equal("'value' exceeds the maximum length of 500 characters",
            (await Invalid(() => Tracker.LogInputsAsync(id, [new DatasetInput(dataset, [new RunTag("k", new string('v', 501))])], None))).Message);
    }

    // ---- artifacts ----

    [Fact]
    public async Task Artifacts_UploadAndList()
    {
        var run = await _h.NewRunAsync();
        var id = run.Info.RunId;

        await Tracker.LogArtifactAsync(id, "model/MLmodel", new MemoryStream(Encoding.UTF8.GetBytes("flavors: {}")), None);
        await Tracker.LogArtifactAsync(id, "model/model.onnx", new MemoryStream([1, 2, 3]), None);
        await Tracker.LogArtifactAsync(id, "notes.txt", new MemoryStream([4]), None);

        var root = await Tracker.ListArtifactsAsync(id, null, null, None);
        Assert.Equal(run.Info.ArtifactUri, root.RootUri);
        Assert.Equal([("model", true), ("notes.txt", false)], root.Files.Select(f => (f.Path, f.IsDir)));

        var model = await Tracker.ListArtifactsAsync(id, "model", null, None);
        Assert.Equal([("model/MLmodel", 11L), ("model/model.onnx", 3L)], model.Files.Select(f => (f.Path, f.Size ?? -1)));

        await using var stream = await _h.Registry.OpenArtifactAsync(run.Info.ArtifactUri["mlflow-artifacts:/".Length..] + "/model/model.onnx", None);
        var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        Assert.Equal([1, 2, 3], bytes.ToArray());

        await Invalid(() => Tracker.LogArtifactAsync(id, "../escape", new MemoryStream([1]), None));
        await Invalid(() => Tracker.ListArtifactsAsync(id, "../other-run", null, None));
    }

    // ---- runs:/ sources in the registry ----

    [Fact]
    public async Task RegisterFromRunsUri_UsesTheRunsArtifacts_AndRecordsTheRunId()
    {
        var run = await _h.NewRunAsync();
        var id = run.Info.RunId;
        await Tracker.LogArtifactAsync(id, "model/MLmodel", new MemoryStream(Encoding.UTF8.GetBytes("flavors: {}")), None);
        await Tracker.LogArtifactAsync(id, "model/model.onnx", new MemoryStream([1, 2, 3]), None);
        var name = "m-" + Guid.NewGuid().ToString("N")[..8];
        await _h.Registry.CreateRegisteredModelAsync(name, null, null, None);

        var version = await _h.Registry.CreateModelVersionAsync(new NewModelVersion(name, $"runs:/{id}/model", "", "", "", "", new Dictionary<string, string>()), None);

        Assert.Equal(ModelVersionStatus.Ready, version.Status);
        Assert.Equal(id, version.RunId);
        var files = await _h.Registry.GetModelVersionFilesAsync(name, version.Version, None);
        Assert.Equal(["MLmodel", "model.onnx"], files.Select(f => f.Path));

        var explicitRun = await _h.Registry.CreateModelVersionAsync(new NewModelVersion(name, $"runs:/{id}/model", "given", "", "", "", new Dictionary<string, string>()), None);
        Assert.Equal("given", explicitRun.RunId);
    }

    [Fact]
    public async Task RegisterFromRunsUri_BadSources()
    {
        var name = "m-" + Guid.NewGuid().ToString("N")[..8];
        await _h.Registry.CreateRegisteredModelAsync(name, null, null, None);
        NewModelVersion From(string source) => new(name, source, "", "", "", "", new Dictionary<string, string>());
        var id = (await _h.NewRunAsync()).Info.RunId;

        await Fails(RegistryErrorCode.ResourceDoesNotExist, () => _h.Registry.CreateModelVersionAsync(From($"runs:/{Guid.NewGuid():N}/model"), None));
        Assert.Contains("no artifacts found", (await Invalid(() => _h.Registry.CreateModelVersionAsync(From($"runs:/{id}/model"), None))).Message, StringComparison.Ordinal);
        await Invalid(() => _h.Registry.CreateModelVersionAsync(From($"runs:/{id}/../x"), None));
        await Invalid(() => _h.Registry.CreateModelVersionAsync(From("runs:/-x/model"), None));
        Assert.Contains("tracking store", (await Invalid(() => _h.RegistryWithoutRuns.CreateModelVersionAsync(From($"runs:/{id}/model"), None))).Message, StringComparison.Ordinal);
    }

    // ---- RunLogger end to end ----

    [Fact]
    public async Task RunLogger_OverTheRealService_LogsEverythingAndEndsTheRun()
    {
        var id = (await _h.NewRunAsync()).Info.RunId;
        var logger = new RunLogger(Tracker, id, new RunLoggerOptions { TimeProvider = _h.Time, EndStatusOnDispose = RunStatus.Finished });
        logger.LogParam("lr", "0.05");
        for (var step = 0; step < 2500; step++)
        {
            logger.LogMetric("loss", 1.0 / (step + 1), step);
        }

        await logger.DisposeAsync();

        var run = await Tracker.GetRunAsync(id, None);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal(1.0 / 2500, run.Data.Metrics.Single(m => m.Key == "loss").Value);
        Assert.Equal(2500, (await Tracker.GetMetricHistoryAsync(id, "loss", null, null, None)).Items.Count);
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexId();

    [GeneratedRegex("^[a-z]+-[a-z]+-[0-9]{3}$")]
    private static partial Regex GeneratedName();
}
