using Slipway.Core.Registry;
using Slipway.Core.Search;
using Slipway.Core.Tracking;
using Slipway.Storage.Metadata;

namespace Slipway.Storage.Tests.Tracking;

/// <summary>
/// What every tracking store must do. Each provider inherits this class and says how to make a fresh database;
/// every test gets its own database and still uses unique names.
/// </summary>
public abstract class TrackingStoreConformance : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    protected SqlMetadataStore Store { get; private set; } = null!;

    protected string StoreUri { get; private set; } = null!;

    /// <summary>A URI of a fresh, empty database.</summary>
    protected abstract Task<string> CreateStoreUriAsync();

    public async Task InitializeAsync()
    {
        StoreUri = await CreateStoreUriAsync();
        Store = await StorageFactory.OpenMetadataStoreAsync(StoreUri, TimeProvider.System, CancellationToken.None);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static string NewRunId() => Guid.NewGuid().ToString("N");

    private static async Task<RegistryException> ThrowsRegistry(RegistryErrorCode code, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }

    private async Task<string> CreateExperimentAsync(string? name = null, long timestamp = 1000, IReadOnlyDictionary<string, string>? tags = null) =>
        (await Store.CreateExperimentAsync(name ?? Unique("exp"), null, tags ?? NoTags, timestamp, CancellationToken.None)).ExperimentId;

    private async Task<Run> CreateRunAsync(string experimentId, string? name = null, long startTime = 5000, IReadOnlyList<RunTag>? tags = null, string user = "alice")
    {
        var id = NewRunId();
        var runName = name ?? Unique("run");
        var allTags = new List<RunTag> { new("mlflow.runName", runName) };
        allTags.AddRange(tags ?? []);
        return await Store.CreateRunAsync(
            new NewRun(id, experimentId, runName, user, startTime, $"mlflow-artifacts:/{experimentId}/{id}/artifacts", allTags), CancellationToken.None);
    }

    private Task LogAsync(string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyList<Param>? parameters = null, IReadOnlyList<RunTag>? tags = null) =>
        Store.LogBatchAsync(runId, metrics ?? [], parameters ?? [], tags ?? [], CancellationToken.None);

    private async Task<Run> GetRunAsync(string runId) => (await Store.GetRunAsync(runId, CancellationToken.None))!;

    private Task<Page<Run>> SearchAsync(IReadOnlyList<string> experiments, IReadOnlyList<FilterClause>? filter = null, IReadOnlyList<OrderTerm>? orderBy = null, ViewType view = ViewType.ActiveOnly, int max = 1000, string? token = null) =>
        Store.SearchRunsAsync(experiments, new SearchQuery(filter ?? [], orderBy ?? [], max, token), view, CancellationToken.None);

    private async Task<string[]> SearchNamesAsync(string experimentId, params FilterClause[] filter) =>
        (await SearchAsync([experimentId], filter)).Items.Select(r => r.Info.RunName).Order(StringComparer.Ordinal).ToArray();

    private static FilterClause Clause(FilterKeyKind kind, string key, FilterOperator op, params string[] values) => new(kind, key, op, values);

    // ---- experiments ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task DefaultExperiment_ExistsWithIdZero()
    {
        var byId = await Store.GetExperimentAsync("0", CancellationToken.None);
        var byName = await Store.GetExperimentByNameAsync("Default", CancellationToken.None);

        Assert.NotNull(byId);
        Assert.Equal("Default", byId.Name);
        Assert.Equal("mlflow-artifacts:/0", byId.ArtifactLocation);
        Assert.Equal(LifecycleStage.Active, byId.LifecycleStage);
        Assert.Equal("0", byName!.ExperimentId);
    }

    [Fact]
    public async Task CreateExperiment_RoundTripsFieldsAndTags_WithDefaultLocation()
    {
        var name = Unique("exp");
        var created = await Store.CreateExperimentAsync(name, null, new Dictionary<string, string> { ["team"] = "fraud" }, 1234, CancellationToken.None);

        var fetched = await Store.GetExperimentAsync(created.ExperimentId, CancellationToken.None);

        Assert.NotNull(fetched);
        Assert.NotEqual("0", fetched.ExperimentId);
        Assert.Equal(name, fetched.Name);
        Assert.Equal("mlflow-artifacts:/" + created.ExperimentId, fetched.ArtifactLocation);
        Assert.Equal(1234, fetched.CreationTime);
        Assert.Equal(1234, fetched.LastUpdateTime);
        Assert.Equal("fraud", fetched.Tags["team"]);
        Assert.Equal(created, fetched with { Tags = created.Tags });
    }

    [Fact]
    public async Task CreateExperiment_ExplicitLocation_IsKept()
    {
        var created = await Store.CreateExperimentAsync(Unique("loc"), "s3://bucket/exp", NoTags, 1, CancellationToken.None);

        Assert.Equal("s3://bucket/exp", (await Store.GetExperimentAsync(created.ExperimentId, CancellationToken.None))!.ArtifactLocation);
    }

    [Fact]
    public async Task CreateExperiment_IdsIncrease()
    {
        var first = long.Parse(await CreateExperimentAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var second = long.Parse(await CreateExperimentAsync(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(second > first);
    }

    [Fact]
    public async Task CreateExperiment_DuplicateName_ThrowsAlreadyExists_EvenWhenDeleted()
    {
        var name = Unique("dup");
        var id = await CreateExperimentAsync(name);

        var e = await ThrowsRegistry(RegistryErrorCode.ResourceAlreadyExists, () => CreateExperimentAsync(name));
        Assert.Equal($"Experiment(name={name}) already exists.", e.Message);

        await Store.SetExperimentLifecycleAsync(id, LifecycleStage.Deleted, 2000, CancellationToken.None);
        await ThrowsRegistry(RegistryErrorCode.ResourceAlreadyExists, () => CreateExperimentAsync(name));
    }

    [Fact]
    public async Task GetExperiment_Missing_IsNull()
    {
        Assert.Null(await Store.GetExperimentAsync("987654", CancellationToken.None));
        Assert.Null(await Store.GetExperimentAsync("not-a-number", CancellationToken.None));
        Assert.Null(await Store.GetExperimentByNameAsync(Unique("none"), CancellationToken.None));
    }

    [Fact]
    public async Task GetExperimentByName_IsCaseSensitive()
    {
        var name = Unique("Case");
        await CreateExperimentAsync(name);

        Assert.Null(await Store.GetExperimentByNameAsync(name.ToUpperInvariant(), CancellationToken.None));
        Assert.NotNull(await Store.GetExperimentByNameAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task RenameExperiment_ChangesNameAndUpdateTime_AndRefusesTakenName()
    {
        var id = await CreateExperimentAsync(timestamp: 1000);
        var taken = Unique("taken");
        await CreateExperimentAsync(taken);
        var newName = Unique("renamed");

        var renamed = await Store.RenameExperimentAsync(id, newName, 3000, CancellationToken.None);

        Assert.Equal(newName, renamed.Name);
        Assert.Equal(3000, renamed.LastUpdateTime);
        Assert.Equal(1000, renamed.CreationTime);
        Assert.Equal(id, (await Store.GetExperimentByNameAsync(newName, CancellationToken.None))!.ExperimentId);
        await ThrowsRegistry(RegistryErrorCode.ResourceAlreadyExists, () => Store.RenameExperimentAsync(id, taken, 4000, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.RenameExperimentAsync("424242", Unique("x"), 4000, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAndRestoreExperiment_CarryItsRuns()
    {
        var id = await CreateExperimentAsync();
        var active = await CreateRunAsync(id);
        var other = await CreateRunAsync(id);
        var deletedBefore = await CreateRunAsync(id);
        await Store.SetRunLifecycleAsync(deletedBefore.Info.RunId, LifecycleStage.Deleted, 1500, CancellationToken.None);

        await Store.SetExperimentLifecycleAsync(id, LifecycleStage.Deleted, 2000, CancellationToken.None);

        var deleted = await Store.GetExperimentAsync(id, CancellationToken.None);
        Assert.Equal(LifecycleStage.Deleted, deleted!.LifecycleStage);
        Assert.Equal(2000, deleted.LastUpdateTime);
        Assert.Equal(LifecycleStage.Deleted, (await GetRunAsync(active.Info.RunId)).Info.LifecycleStage);
        Assert.Equal(LifecycleStage.Deleted, (await GetRunAsync(other.Info.RunId)).Info.LifecycleStage);
        var refused = await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => CreateRunAsync(id));
        Assert.Contains("must be in the 'active' state", refused.Message, StringComparison.Ordinal);
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.SetExperimentLifecycleAsync(id, LifecycleStage.Deleted, 2500, CancellationToken.None));

        await Store.SetExperimentLifecycleAsync(id, LifecycleStage.Active, 3000, CancellationToken.None);

        Assert.Equal(LifecycleStage.Active, (await Store.GetExperimentAsync(id, CancellationToken.None))!.LifecycleStage);
        Assert.Equal(LifecycleStage.Active, (await GetRunAsync(active.Info.RunId)).Info.LifecycleStage);
        Assert.Equal(LifecycleStage.Active, (await GetRunAsync(other.Info.RunId)).Info.LifecycleStage);
        Assert.Equal(LifecycleStage.Deleted, (await GetRunAsync(deletedBefore.Info.RunId)).Info.LifecycleStage);
        await CreateRunAsync(id);
    }

    [Fact]
    public async Task DeleteExperiment_Missing_ThrowsNotFound()
    {
        var e = await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.SetExperimentLifecycleAsync("999999", LifecycleStage.Deleted, 1, CancellationToken.None));
        Assert.Equal("No Experiment with id=999999 exists", e.Message);
    }

    [Fact]
    public async Task ExperimentTags_SetReplaceDelete()
    {
        var id = await CreateExperimentAsync(timestamp: 1000);

        await Store.SetExperimentTagAsync(id, "k", "v1", 2000, CancellationToken.None);
        await Store.SetExperimentTagAsync(id, "k", "v2", 3000, CancellationToken.None);
        var fetched = await Store.GetExperimentAsync(id, CancellationToken.None);
        Assert.Equal("v2", fetched!.Tags["k"]);
        Assert.Equal(3000, fetched.LastUpdateTime);

        await Store.DeleteExperimentTagAsync(id, "k", 4000, CancellationToken.None);
        Assert.Empty((await Store.GetExperimentAsync(id, CancellationToken.None))!.Tags);
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.DeleteExperimentTagAsync(id, "k", 5000, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.SetExperimentTagAsync("888888", "k", "v", 1, CancellationToken.None));
    }

    [Fact]
    public async Task SearchExperiments_FiltersOrdersAndPages()
    {
        var prefix = Unique("sx");
        var a = await CreateExperimentAsync(prefix + "-a", timestamp: 100, tags: new Dictionary<string, string> { ["tier"] = "gold" });
        var b = await CreateExperimentAsync(prefix + "-B", timestamp: 300);
        var c = await CreateExperimentAsync(prefix + "-c", timestamp: 200, tags: new Dictionary<string, string> { ["tier"] = "silver" });
        await Store.SetExperimentLifecycleAsync(c, LifecycleStage.Deleted, 400, CancellationToken.None);
        var byPrefix = new FilterClause(FilterKeyKind.Attribute, "name", FilterOperator.Like, [prefix + "%"]);

        async Task<string[]> Ids(ViewType view, params FilterClause[] more) =>
            (await Store.SearchExperimentsAsync(new SearchQuery([byPrefix, .. more], [], 100, null), view, CancellationToken.None)).Items.Select(e => e.ExperimentId).ToArray();

        // Default order: creation_time DESC.
        Assert.Equal([b, a], await Ids(ViewType.ActiveOnly));
        Assert.Equal([c], await Ids(ViewType.DeletedOnly));
        Assert.Equal([b, c, a], await Ids(ViewType.All));
        Assert.Equal([a], await Ids(ViewType.All, Clause(FilterKeyKind.Tag, "tier", FilterOperator.Equal, "gold")));
        Assert.Equal([c], await Ids(ViewType.All, Clause(FilterKeyKind.Tag, "tier", FilterOperator.Like, "sil%")));
        Assert.Equal([b], await Ids(ViewType.All, Clause(FilterKeyKind.Attribute, "name", FilterOperator.Like, "%-B")));
        Assert.Empty(await Ids(ViewType.All, Clause(FilterKeyKind.Attribute, "name", FilterOperator.Like, "%-b")));
        Assert.Equal([b], await Ids(ViewType.All, Clause(FilterKeyKind.Attribute, "name", FilterOperator.ILike, "%-b")));
        Assert.Equal([b, c], await Ids(ViewType.All, Clause(FilterKeyKind.Attribute, "creation_time", FilterOperator.GreaterThanOrEqual, "200")));
        Assert.Equal([a], await Ids(ViewType.All, Clause(FilterKeyKind.Attribute, "last_update_time", FilterOperator.LessThan, "200")));
        Assert.Equal([a, c], await Ids(ViewType.All, Clause(FilterKeyKind.Attribute, "name", FilterOperator.In, prefix + "-a", prefix + "-c")).ContinueWith(r => r.Result.Order().ToArray(), TaskScheduler.Default));

        var byName = await Store.SearchExperimentsAsync(new SearchQuery([byPrefix], [new OrderTerm("name", Descending: false)], 2, null), ViewType.All, CancellationToken.None);
        Assert.Equal([b, a], byName.Items.Select(e => e.ExperimentId));
        Assert.NotNull(byName.NextPageToken);
        var next = await Store.SearchExperimentsAsync(new SearchQuery([byPrefix], [new OrderTerm("name", Descending: false)], 2, byName.NextPageToken), ViewType.All, CancellationToken.None);
        Assert.Equal([c], next.Items.Select(e => e.ExperimentId));
        Assert.Null(next.NextPageToken);
        Assert.Equal("gold", byName.Items[1].Tags["tier"]);
    }

    [Fact]
    public async Task SearchExperiments_BadInputs_ThrowInvalid()
    {
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Store.SearchExperimentsAsync(
            new SearchQuery([Clause(FilterKeyKind.Metric, "m", FilterOperator.Equal, "1")], [], 10, null), ViewType.All, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Store.SearchExperimentsAsync(
            new SearchQuery([], [new OrderTerm("nope", false)], 10, null), ViewType.All, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Store.SearchExperimentsAsync(
            new SearchQuery([Clause(FilterKeyKind.Attribute, "creation_time", FilterOperator.GreaterThan, "soon")], [], 10, null), ViewType.All, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Store.SearchExperimentsAsync(
            new SearchQuery([], [], 10, "garbage!"), ViewType.All, CancellationToken.None));
    }

    [Fact]
    public async Task TwoStoresOnOneDatabase_CreatingExperimentsConcurrently_GetDistinctIds()
    {
        await using var other = await StorageFactory.OpenMetadataStoreAsync(StoreUri, TimeProvider.System, CancellationToken.None);
        var prefix = Unique("race");

        async Task<List<string>> Create(SqlMetadataStore store, string side)
        {
            var ids = new List<string>();
            for (var i = 0; i < 25; i++)
            {
                ids.Add((await store.CreateExperimentAsync($"{prefix}-{side}-{i}", null, NoTags, 1, CancellationToken.None)).ExperimentId);
            }

            return ids;
        }

        var results = await Task.WhenAll(Task.Run(() => Create(Store, "a")), Task.Run(() => Create(other, "b")));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(50, all.Distinct().Count());
        foreach (var id in all)
        {
            Assert.StartsWith(prefix, (await Store.GetExperimentAsync(id, CancellationToken.None))!.Name, StringComparison.Ordinal);
        }
    }

    // ---- runs -----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task CreateRun_RoundTripsInfoAndTags()
    {
        var exp = await CreateExperimentAsync();
        var created = await CreateRunAsync(exp, "first-run", 7777, [new RunTag("source", "nb")], user: "bob");

        var run = await GetRunAsync(created.Info.RunId);

        Assert.Equal(created.Info.RunId, run.Info.RunId);
        Assert.Equal(exp, run.Info.ExperimentId);
        Assert.Equal("first-run", run.Info.RunName);
        Assert.Equal("bob", run.Info.UserId);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        Assert.Equal(7777, run.Info.StartTime);
        Assert.Null(run.Info.EndTime);
        Assert.Equal($"mlflow-artifacts:/{exp}/{run.Info.RunId}/artifacts", run.Info.ArtifactUri);
        Assert.Equal(LifecycleStage.Active, run.Info.LifecycleStage);
        Assert.Equal([new RunTag("mlflow.runName", "first-run"), new RunTag("source", "nb")], run.Data.Tags);
        Assert.Empty(run.Data.Metrics);
        Assert.Empty(run.Data.Params);
        Assert.Empty(run.Inputs);
        Assert.Equal(created, run with { Data = created.Data, Inputs = created.Inputs });
    }

    [Fact]
    public async Task CreateRun_MissingExperiment_ThrowsNotFound()
    {
        var e = await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => CreateRunAsync("77777"));
        Assert.Equal("No Experiment with id=77777 exists", e.Message);
    }

    [Fact]
    public async Task GetRun_Missing_IsNull()
    {
        Assert.Null(await Store.GetRunAsync("does-not-exist", CancellationToken.None));
    }

    [Fact]
    public async Task UpdateRun_ChangesGivenFields_AndRunNameTag()
    {
        var exp = await CreateExperimentAsync();
        var run = await CreateRunAsync(exp, "before");

        var finished = await Store.UpdateRunAsync(run.Info.RunId, new RunUpdate(RunStatus.Finished, 9000, null), CancellationToken.None);
        Assert.Equal(RunStatus.Finished, finished.Status);
        Assert.Equal(9000, finished.EndTime);
        Assert.Equal("before", finished.RunName);

        var renamed = await Store.UpdateRunAsync(run.Info.RunId, new RunUpdate(null, null, "after"), CancellationToken.None);
        Assert.Equal(RunStatus.Finished, renamed.Status);
        Assert.Equal(9000, renamed.EndTime);
        Assert.Equal("after", renamed.RunName);
        var fetched = await GetRunAsync(run.Info.RunId);
        Assert.Equal("after", fetched.Info.RunName);
        Assert.Equal("after", fetched.Data.Tags.Single(t => t.Key == "mlflow.runName").Value);
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.UpdateRunAsync("nope", new RunUpdate(RunStatus.Failed, null, null), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAndRestoreRun()
    {
        var exp = await CreateExperimentAsync();
        var run = await CreateRunAsync(exp);

        await Store.SetRunLifecycleAsync(run.Info.RunId, LifecycleStage.Deleted, 100, CancellationToken.None);
        Assert.Equal(LifecycleStage.Deleted, (await GetRunAsync(run.Info.RunId)).Info.LifecycleStage);

        await Store.SetRunLifecycleAsync(run.Info.RunId, LifecycleStage.Active, 200, CancellationToken.None);
        Assert.Equal(LifecycleStage.Active, (await GetRunAsync(run.Info.RunId)).Info.LifecycleStage);

        var e = await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.SetRunLifecycleAsync("does-not-exist", LifecycleStage.Deleted, 1, CancellationToken.None));
        Assert.Equal("Run with id=does-not-exist not found", e.Message);
    }

    [Fact]
    public async Task DeletedRun_RefusesLogging()
    {
        var exp = await CreateExperimentAsync();
        var run = await CreateRunAsync(exp);
        var id = run.Info.RunId;
        await LogAsync(id, tags: [new RunTag("keep", "1")]);
        await Store.SetRunLifecycleAsync(id, LifecycleStage.Deleted, 100, CancellationToken.None);
        var expected = $"The run {id} must be in the 'active' state. Current state is deleted.";

        Assert.Equal(expected, (await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => LogAsync(id, [new Metric("m", 1, 1, 0)]))).Message);
        Assert.Equal(expected, (await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Store.DeleteRunTagAsync(id, "keep", CancellationToken.None))).Message);
        Assert.Equal(expected, (await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Store.UpdateRunAsync(id, new RunUpdate(RunStatus.Finished, 1, null), CancellationToken.None))).Message);
        Assert.Equal(expected, (await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Store.LogInputsAsync(id, [Input("d", "1")], CancellationToken.None))).Message);
        Assert.Empty((await GetRunAsync(id)).Data.Metrics);
    }

    [Fact]
    public async Task Logging_ToMissingRun_ThrowsNotFound()
    {
        var e = await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => LogAsync("does-not-exist", [new Metric("m", 1, 1, 0)]));
        Assert.Equal("Run with id=does-not-exist not found", e.Message);
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.GetMetricHistoryAsync("does-not-exist", "m", null, null, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.DeleteRunTagAsync("does-not-exist", "k", CancellationToken.None));
    }

    // ---- logging --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task LogBatch_MetricHistory_IsOrderedByStepTimestampValue_AndIgnoresExactDuplicates()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        var id = run.Info.RunId;
        await LogAsync(id, [new Metric("loss", 0.5, 200, 2), new Metric("loss", 0.9, 100, 1), new Metric("loss", 0.7, 100, 1)]);
        await LogAsync(id, [new Metric("loss", 0.9, 100, 1), new Metric("loss", 0.1, 50, 3), new Metric("other", 1, 1, 0)]);

        var history = await Store.GetMetricHistoryAsync(id, "loss", null, null, CancellationToken.None);

        Assert.Equal(
            [new Metric("loss", 0.7, 100, 1), new Metric("loss", 0.9, 100, 1), new Metric("loss", 0.5, 200, 2), new Metric("loss", 0.1, 50, 3)],
            history.Items);
        Assert.Null(history.NextPageToken);
        Assert.Empty((await Store.GetMetricHistoryAsync(id, "absent", null, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task LogBatch_LatestMetric_FollowsStepThenTimestampThenValue()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        var id = run.Info.RunId;

        await LogAsync(id, [new Metric("a", 5, 100, 2), new Metric("a", 9, 900, 1)]);
        Assert.Equal(new Metric("a", 5, 100, 2), (await GetRunAsync(id)).Data.Metrics.Single());

        await LogAsync(id, [new Metric("a", 4, 101, 2)]);
        Assert.Equal(new Metric("a", 4, 101, 2), (await GetRunAsync(id)).Data.Metrics.Single());

        await LogAsync(id, [new Metric("a", 6, 101, 2), new Metric("a", 3, 101, 2)]);
        Assert.Equal(new Metric("a", 6, 101, 2), (await GetRunAsync(id)).Data.Metrics.Single());

        // An older point logged later does not move the latest value back.
        await LogAsync(id, [new Metric("a", 100, 5000, 1)]);
        Assert.Equal(new Metric("a", 6, 101, 2), (await GetRunAsync(id)).Data.Metrics.Single());
    }

    [Fact]
    public async Task LogBatch_NaNAndExtremes_RoundTrip()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        var id = run.Info.RunId;

        await LogAsync(id, [new Metric("n", double.NaN, 10, 0), new Metric("n", 0, 10, 0), new Metric("big", double.MaxValue, 1, 0), new Metric("small", -double.MaxValue, 1, 0)]);
        await LogAsync(id, [new Metric("nan-latest", 1, 1, 0), new Metric("nan-latest", double.NaN, 1, 1)]);

        var history = (await Store.GetMetricHistoryAsync(id, "n", null, null, CancellationToken.None)).Items;
        Assert.Equal(2, history.Count);
        Assert.Single(history, m => double.IsNaN(m.Value));
        Assert.Single(history, m => m.Value == 0);
        var latest = (await GetRunAsync(id)).Data.Metrics.ToDictionary(m => m.Key);
        Assert.Equal(double.MaxValue, latest["big"].Value);
        Assert.Equal(-double.MaxValue, latest["small"].Value);
        Assert.True(double.IsNaN(latest["nan-latest"].Value));
        Assert.Equal(0, latest["n"].Value);
    }

    [Fact]
    public async Task LogBatch_Params_AreImmutable_AndAFailedBatchWritesNothing()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        var id = run.Info.RunId;
        await LogAsync(id, parameters: [new Param("lr", "0.1"), new Param("depth", "3")]);

        // The same value again is fine.
        await LogAsync(id, parameters: [new Param("lr", "0.1")]);

        var e = await ThrowsRegistry(
            RegistryErrorCode.InvalidParameterValue,
            () => LogAsync(id, [new Metric("m", 1, 1, 0)], [new Param("fresh", "x"), new Param("lr", "0.2")], [new RunTag("t", "v")]));
        Assert.Contains("'lr'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'0.1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'0.2'", e.Message, StringComparison.Ordinal);

        var after = await GetRunAsync(id);
        Assert.Equal([new Param("depth", "3"), new Param("lr", "0.1")], after.Data.Params);
        Assert.Empty(after.Data.Metrics);
        Assert.DoesNotContain(after.Data.Tags, t => t.Key == "t");
        Assert.Empty((await Store.GetMetricHistoryAsync(id, "m", null, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task TwoStores_LoggingOneParamWithDifferentValues_ExactlyOneWins()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        var id = run.Info.RunId;
        await using var other = await StorageFactory.OpenMetadataStoreAsync(StoreUri, TimeProvider.System, CancellationToken.None);

        async Task<string?> Log(SqlMetadataStore store, string value)
        {
            try
            {
                await store.LogBatchAsync(id, [], [new Param("seed", value)], [], CancellationToken.None);
                return value;
            }
            catch (RegistryException e) when (e.Code == RegistryErrorCode.InvalidParameterValue)
            {
                return null;
            }
        }

        var results = await Task.WhenAll(Task.Run(() => Log(Store, "1")), Task.Run(() => Log(other, "2")));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal([new Param("seed", winner!)], (await GetRunAsync(id)).Data.Params);
    }

    [Fact]
    public async Task LogBatch_SameParamTwiceInOneBatch_SameValueOkAndOtherValueRefused()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        var id = run.Info.RunId;

        await LogAsync(id, parameters: [new Param("a", "1"), new Param("a", "1")]);
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => LogAsync(id, parameters: [new Param("b", "1"), new Param("b", "2")]));

        Assert.Equal([new Param("a", "1")], (await GetRunAsync(id)).Data.Params);
    }

    [Fact]
    public async Task LogBatch_Tags_ReplaceAndRunNameTagRenamesRun()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        var id = run.Info.RunId;

        await LogAsync(id, tags: [new RunTag("b", "1"), new RunTag("a", "x")]);
        await LogAsync(id, tags: [new RunTag("b", "2"), new RunTag("b", "3"), new RunTag("mlflow.runName", "renamed")]);

        var fetched = await GetRunAsync(id);
        Assert.Equal([new RunTag("a", "x"), new RunTag("b", "3"), new RunTag("mlflow.runName", "renamed")], fetched.Data.Tags);
        Assert.Equal("renamed", fetched.Info.RunName);

        await Store.DeleteRunTagAsync(id, "a", CancellationToken.None);
        Assert.DoesNotContain((await GetRunAsync(id)).Data.Tags, t => t.Key == "a");
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.DeleteRunTagAsync(id, "a", CancellationToken.None));
    }

    [Fact]
    public async Task LogBatch_ThousandMetrics_AllStored()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        var id = run.Info.RunId;
        var metrics = Enumerable.Range(0, 1000).Select(i => new Metric("k" + (i % 10), i, 1000 + i, i / 10)).ToList();

        await LogAsync(id, metrics);

        var fetched = await GetRunAsync(id);
        Assert.Equal(10, fetched.Data.Metrics.Count);
        Assert.Equal(new Metric("k9", 999, 1999, 99), fetched.Data.Metrics.Single(m => m.Key == "k9"));
        Assert.Equal(100, (await Store.GetMetricHistoryAsync(id, "k3", null, null, CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task GetMetricHistory_Pages_WithoutGapsOrRepeats()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        var id = run.Info.RunId;
        await LogAsync(id, Enumerable.Range(0, 25).Select(i => new Metric("m", i, 10, i)).ToList());

        var seen = new List<Metric>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.GetMetricHistoryAsync(id, "m", 10, token, CancellationToken.None);
            seen.AddRange(page.Items);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), seen.Select(m => m.Step));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Store.GetMetricHistoryAsync(id, "m", 10, "%%bad%%", CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Store.GetMetricHistoryAsync(id, "m", 0, null, CancellationToken.None));
    }

    // ---- inputs ---------------------------------------------------------------------------------------------------

    private static DatasetInput Input(string name, string digest, string? context = "training", string? schema = null) =>
        new(new Dataset(name, digest, "local", "{\"uri\":\"data/" + name + "\"}", schema, null), context is null ? [] : [new RunTag("mlflow.data.context", context)]);

    [Fact]
    public async Task LogInputs_RoundTrip_AndReuseDatasetsWithinTheExperiment()
    {
        var exp = await CreateExperimentAsync();
        var first = await CreateRunAsync(exp);
        var second = await CreateRunAsync(exp);
        var train = Input("adult", "abc123", "training", schema: "{\"cols\":[]}");

        await Store.LogInputsAsync(first.Info.RunId, [train, Input("adult-test", "def456", "eval")], CancellationToken.None);
        await Store.LogInputsAsync(second.Info.RunId, [Input("adult", "abc123", "validation")], CancellationToken.None);

        // Logging a dataset the run already has changes nothing.
        await Store.LogInputsAsync(first.Info.RunId, [Input("adult", "abc123", "other")], CancellationToken.None);

        var inputs = (await GetRunAsync(first.Info.RunId)).Inputs;
        Assert.Equal(2, inputs.Count);
        Assert.Equal(train.Dataset, inputs[0].Dataset);
        Assert.Equal([new RunTag("mlflow.data.context", "training")], inputs[0].Tags);
        Assert.Equal("adult-test", inputs[1].Dataset.Name);
        var secondInputs = (await GetRunAsync(second.Info.RunId)).Inputs;
        Assert.Equal("{\"cols\":[]}", secondInputs.Single().Dataset.Schema);
        Assert.Equal("validation", secondInputs.Single().Tags.Single().Value);
    }

    // ---- run search -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task SearchRuns_MetricClauses_CompareLatestValuesNumerically()
    {
        var exp = await CreateExperimentAsync();
        foreach (var (name, value) in new[] { ("r1", 0.5), ("r2", 0.9), ("r3", 10.0) })
        {
            var run = await CreateRunAsync(exp, name);
            await LogAsync(run.Info.RunId, [new Metric("acc", -1, 1, 0), new Metric("acc", value, 2, 1)]);
        }

        var nan = await CreateRunAsync(exp, "r4");
        await LogAsync(nan.Info.RunId, [new Metric("acc", double.NaN, 1, 0)]);
        await CreateRunAsync(exp, "r5");

        FilterClause Acc(FilterOperator op, string value) => Clause(FilterKeyKind.Metric, "acc", op, value);
        Assert.Equal(["r3"], await SearchNamesAsync(exp, Acc(FilterOperator.GreaterThan, "2")));
        Assert.Equal(["r2", "r3"], await SearchNamesAsync(exp, Acc(FilterOperator.GreaterThanOrEqual, "0.9")));
        Assert.Equal(["r1"], await SearchNamesAsync(exp, Acc(FilterOperator.LessThan, "0.9")));
        Assert.Equal(["r1", "r2"], await SearchNamesAsync(exp, Acc(FilterOperator.LessThanOrEqual, "0.9")));
        Assert.Equal(["r2"], await SearchNamesAsync(exp, Acc(FilterOperator.Equal, "0.9")));
        Assert.Equal(["r1", "r3"], await SearchNamesAsync(exp, Acc(FilterOperator.NotEqual, "0.9")));
        Assert.Empty(await SearchNamesAsync(exp, Acc(FilterOperator.LessThan, "0")));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchNamesAsync(exp, Acc(FilterOperator.Like, "1%")));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchNamesAsync(exp, Acc(FilterOperator.GreaterThan, "high")));
    }

    [Fact]
    public async Task SearchRuns_ParamAndTagClauses_CompareText()
    {
        var exp = await CreateExperimentAsync();
        foreach (var (name, model) in new[] { ("r1", "LightGBM"), ("r2", "lightgbm"), ("r3", "xgboost") })
        {
            var run = await CreateRunAsync(exp, name);
            await LogAsync(run.Info.RunId, parameters: [new Param("model", model), new Param("with space", model)], tags: [new RunTag("model", model), new RunTag("my key", model)]);
        }

        await CreateRunAsync(exp, "r4");

        foreach (var kind in new[] { FilterKeyKind.Param, FilterKeyKind.Tag })
        {
            FilterClause Model(FilterOperator op, params string[] values) => Clause(kind, "model", op, values);
            Assert.Equal(["r1"], await SearchNamesAsync(exp, Model(FilterOperator.Equal, "LightGBM")));
            Assert.Equal(["r2", "r3"], await SearchNamesAsync(exp, Model(FilterOperator.NotEqual, "LightGBM")));
            Assert.Equal(["r1"], await SearchNamesAsync(exp, Model(FilterOperator.Like, "Light%")));
            Assert.Equal(["r2"], await SearchNamesAsync(exp, Model(FilterOperator.Like, "light%")));
            Assert.Equal(["r1", "r2"], await SearchNamesAsync(exp, Model(FilterOperator.ILike, "LIGHT%")));
            Assert.Equal(["r2", "r3"], await SearchNamesAsync(exp, Model(FilterOperator.In, "lightgbm", "xgboost")));
            Assert.Equal(["r1"], await SearchNamesAsync(exp, Model(FilterOperator.NotIn, "lightgbm", "xgboost")));
            Assert.Equal(["r3"], await SearchNamesAsync(exp, Model(FilterOperator.Like, "_gboost")));
            await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchNamesAsync(exp, Model(FilterOperator.GreaterThan, "a")));
        }

        Assert.Equal(["r3"], await SearchNamesAsync(exp, Clause(FilterKeyKind.Param, "with space", FilterOperator.Equal, "xgboost")));
        Assert.Equal(["r3"], await SearchNamesAsync(exp, Clause(FilterKeyKind.Tag, "my key", FilterOperator.Equal, "xgboost")));
        Assert.Equal(["r1"], await SearchNamesAsync(exp, Clause(FilterKeyKind.Param, "model", FilterOperator.Equal, "LightGBM"), Clause(FilterKeyKind.Tag, "model", FilterOperator.Like, "%GBM")));
    }

    [Fact]
    public async Task SearchRuns_AttributeClauses()
    {
        var exp = await CreateExperimentAsync();
        var r1 = await CreateRunAsync(exp, "Alpha", startTime: 100, user: "ann");
        var r2 = await CreateRunAsync(exp, "alpha-2", startTime: 200, user: "ben");
        var r3 = await CreateRunAsync(exp, "beta", startTime: 300, user: "ann");
        await Store.UpdateRunAsync(r2.Info.RunId, new RunUpdate(RunStatus.Finished, 250, null), CancellationToken.None);

        FilterClause Attr(string key, FilterOperator op, params string[] values) => Clause(FilterKeyKind.Attribute, key, op, values);
        Assert.Equal(["Alpha"], await SearchNamesAsync(exp, Attr("run_name", FilterOperator.Equal, "Alpha")));
        Assert.Equal(["Alpha"], await SearchNamesAsync(exp, Attr("run_name", FilterOperator.Like, "A%")));
        Assert.Equal(["Alpha", "alpha-2"], await SearchNamesAsync(exp, Attr("run_name", FilterOperator.ILike, "alpha%")));
        Assert.Equal(["alpha-2", "beta"], await SearchNamesAsync(exp, Attr("run_name", FilterOperator.NotEqual, "Alpha")));
        Assert.Equal(["Alpha", "beta"], await SearchNamesAsync(exp, Attr("user_id", FilterOperator.Equal, "ann")));
        Assert.Equal(["alpha-2"], await SearchNamesAsync(exp, Attr("status", FilterOperator.Equal, "FINISHED")));
        Assert.Equal(["Alpha", "beta"], await SearchNamesAsync(exp, Attr("status", FilterOperator.In, "RUNNING", "KILLED")));
        Assert.Equal(["Alpha", "beta"], await SearchNamesAsync(exp, Attr("run_id", FilterOperator.In, r1.Info.RunId, r3.Info.RunId)));
        Assert.Equal(["alpha-2"], await SearchNamesAsync(exp, Attr("run_id", FilterOperator.NotIn, r1.Info.RunId, r3.Info.RunId)));
        Assert.Equal(["beta"], await SearchNamesAsync(exp, Attr("start_time", FilterOperator.GreaterThan, "200")));
        Assert.Equal(["Alpha", "alpha-2"], await SearchNamesAsync(exp, Attr("start_time", FilterOperator.LessThanOrEqual, "200")));
        Assert.Equal(["alpha-2"], await SearchNamesAsync(exp, Attr("end_time", FilterOperator.GreaterThan, "0")));
        Assert.Equal(["alpha-2"], await SearchNamesAsync(exp, Attr("artifact_uri", FilterOperator.Like, "%" + r2.Info.RunId + "%")));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchNamesAsync(exp, Attr("colour", FilterOperator.Equal, "red")));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchNamesAsync(exp, Attr("start_time", FilterOperator.Like, "1%")));
    }

    [Fact]
    public async Task SearchRuns_DatasetClauses()
    {
        var exp = await CreateExperimentAsync();
        var r1 = await CreateRunAsync(exp, "r1");
        var r2 = await CreateRunAsync(exp, "r2");
        await CreateRunAsync(exp, "r3");
        await Store.LogInputsAsync(r1.Info.RunId, [Input("adult", "d1", "training")], CancellationToken.None);
        await Store.LogInputsAsync(r2.Info.RunId, [Input("Adult-v2", "d2", "eval")], CancellationToken.None);

        FilterClause Data(string key, FilterOperator op, params string[] values) => Clause(FilterKeyKind.Dataset, key, op, values);
        Assert.Equal(["r1"], await SearchNamesAsync(exp, Data("name", FilterOperator.Equal, "adult")));
        Assert.Equal(["r1", "r2"], await SearchNamesAsync(exp, Data("name", FilterOperator.ILike, "adult%")));
        Assert.Equal(["r2"], await SearchNamesAsync(exp, Data("digest", FilterOperator.In, "d2", "d9")));
        Assert.Equal(["r2"], await SearchNamesAsync(exp, Data("context", FilterOperator.Equal, "eval")));
        Assert.Equal(["r1"], await SearchNamesAsync(exp, Data("context", FilterOperator.NotEqual, "eval")));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchNamesAsync(exp, Data("size", FilterOperator.Equal, "1")));
    }

    [Fact]
    public async Task SearchRuns_OrderByMetric_PutsMissingLastInBothDirections()
    {
        var exp = await CreateExperimentAsync();
        foreach (var (name, value) in new[] { ("low", 0.1), ("high", 0.9), ("mid", 0.5) })
        {
            var run = await CreateRunAsync(exp, name);
            await LogAsync(run.Info.RunId, [new Metric("auc", value, 1, 0)]);
        }

        var nan = await CreateRunAsync(exp, "nan");
        await LogAsync(nan.Info.RunId, [new Metric("auc", double.NaN, 1, 0)]);
        await CreateRunAsync(exp, "none");

        async Task<string[]> Order(bool descending) =>
            (await SearchAsync([exp], orderBy: [new OrderTerm("auc", descending, FilterKeyKind.Metric)])).Items.Select(r => r.Info.RunName).ToArray();

        Assert.Equal(["low", "mid", "high", "nan", "none"], await Order(false));
        Assert.Equal(["high", "mid", "low", "nan", "none"], await Order(true));
    }

    [Fact]
    public async Task SearchRuns_OrderByParamTagAndAttributes()
    {
        var exp = await CreateExperimentAsync();
        var b = await CreateRunAsync(exp, "b", startTime: 100);
        var a = await CreateRunAsync(exp, "a", startTime: 300);
        var c = await CreateRunAsync(exp, "c", startTime: 200);
        await LogAsync(b.Info.RunId, parameters: [new Param("p", "2")], tags: [new RunTag("my tag", "y")]);
        await LogAsync(c.Info.RunId, parameters: [new Param("p", "10")], tags: [new RunTag("my tag", "x")]);
        await Store.UpdateRunAsync(c.Info.RunId, new RunUpdate(null, 500, null), CancellationToken.None);
        await Store.UpdateRunAsync(b.Info.RunId, new RunUpdate(null, 400, null), CancellationToken.None);

        async Task<string[]> Order(params OrderTerm[] terms) => (await SearchAsync([exp], orderBy: terms)).Items.Select(r => r.Info.RunName).ToArray();

        // Params compare as text: "10" < "2".
        Assert.Equal(["c", "b", "a"], await Order(new OrderTerm("p", false, FilterKeyKind.Param)));
        Assert.Equal(["b", "c", "a"], await Order(new OrderTerm("p", true, FilterKeyKind.Param)));
        Assert.Equal(["c", "b", "a"], await Order(new OrderTerm("my tag", false, FilterKeyKind.Tag)));
        Assert.Equal(["b", "c", "a"], await Order(new OrderTerm("my tag", true, FilterKeyKind.Tag)));
        Assert.Equal(["a", "c", "b"], await Order());
        Assert.Equal(["b", "c", "a"], await Order(new OrderTerm("start_time", false)));
        Assert.Equal(["a", "b", "c"], await Order(new OrderTerm("run_name", false)));
        Assert.Equal(["b", "c", "a"], await Order(new OrderTerm("end_time", false)));
        Assert.Equal(["c", "b", "a"], await Order(new OrderTerm("end_time", true)));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Order(new OrderTerm("colour", false)));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => Order(new OrderTerm("name", false, FilterKeyKind.Dataset)));
    }

    [Fact]
    public async Task SearchRuns_Pagination_CoversEveryRunOnce_EvenWithTies()
    {
        var exp = await CreateExperimentAsync();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 23; i++)
        {
            // Many runs share a start time and a metric value, so only the run id tie-breaker orders them.
            var run = await CreateRunAsync(exp, "r" + i, startTime: 1000 + (i % 3));
            await LogAsync(run.Info.RunId, [new Metric("m", i % 2, 1, 0)]);
            expected.Add(run.Info.RunId);
        }

        foreach (var order in new IReadOnlyList<OrderTerm>[] { [], [new OrderTerm("m", true, FilterKeyKind.Metric)] })
        {
            var seen = new List<string>();
            string? token = null;
            do
            {
                var page = await SearchAsync([exp], orderBy: order, max: 5, token: token);
                Assert.True(page.Items.Count <= 5);
                seen.AddRange(page.Items.Select(r => r.Info.RunId));
                token = page.NextPageToken;
            }
            while (token is not null);

            Assert.Equal(23, seen.Count);
            Assert.True(expected.SetEquals(seen));
        }
    }

    [Fact]
    public async Task SearchRuns_PagesOrderedByMetric_CrossIntoNaNAndMissing_InTheFullOrder()
    {
        // A page led by a metric is first read from the runs that have a number for it; pages that reach the NaN and
        // missing runs must still follow the one full order, with the filter and the second order term applied.
        var exp = await CreateExperimentAsync();
        var runs = new List<(string Id, double? M, string? P, long Start)>();
        for (var i = 0; i < 14; i++)
        {
            double? m = i switch { 10 or 11 => double.NaN, 12 or 13 => null, _ => (i % 4) / 4.0 };
            var p = i % 3 == 0 ? null : "p" + (i % 5);
            var start = 1000 + (i % 2);
            var run = await CreateRunAsync(exp, "r" + i, startTime: start);
            var metrics = new List<Metric> { new("f", i == 5 ? -1 : i, 1, 0) };
            if (m is double value)
            {
                metrics.Add(new Metric("m", value, 1, 0));
            }

            await LogAsync(run.Info.RunId, metrics, p is null ? [] : [new Param("p", p)]);
            if (i != 5)
            {
                runs.Add((run.Info.RunId, m, p, start));
            }
        }

        var expected = runs
            .OrderBy(r => r.M is null ? 2 : double.IsNaN(r.M.Value) ? 1 : 0)
            .ThenByDescending(r => r.M is double v && !double.IsNaN(v) ? v : 0)
            .ThenBy(r => r.P is null ? 1 : 0).ThenBy(r => r.P, StringComparer.Ordinal)
            .ThenByDescending(r => r.Start).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => r.Id).ToList();
        IReadOnlyList<FilterClause> filter = [Clause(FilterKeyKind.Metric, "f", FilterOperator.GreaterThanOrEqual, "0")];
        IReadOnlyList<OrderTerm> order = [new OrderTerm("m", true, FilterKeyKind.Metric), new OrderTerm("p", false, FilterKeyKind.Param)];

        foreach (var pageSize in new[] { 1, 3, 5, 100 })
        {
            var seen = new List<string>();
            string? token = null;
            do
            {
                var page = await SearchAsync([exp], filter, order, max: pageSize, token: token);
                seen.AddRange(page.Items.Select(r => r.Info.RunId));
                token = page.NextPageToken;
            }
            while (token is not null);

            Assert.Equal(expected, seen);
        }
    }

    [Fact]
    public async Task SearchRuns_ViewTypes_AndMultipleExperiments()
    {
        var e1 = await CreateExperimentAsync();
        var e2 = await CreateExperimentAsync();
        var e3 = await CreateExperimentAsync();
        await CreateRunAsync(e1, "one");
        await CreateRunAsync(e2, "two");
        var gone = await CreateRunAsync(e2, "gone");
        await CreateRunAsync(e3, "three");
        await Store.SetRunLifecycleAsync(gone.Info.RunId, LifecycleStage.Deleted, 1, CancellationToken.None);

        async Task<string[]> Names(ViewType view, params string[] experiments) =>
            (await SearchAsync(experiments, view: view)).Items.Select(r => r.Info.RunName).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["one", "two"], await Names(ViewType.ActiveOnly, e1, e2));
        Assert.Equal(["gone"], await Names(ViewType.DeletedOnly, e1, e2));
        Assert.Equal(["gone", "one", "two"], await Names(ViewType.All, e1, e2));
        Assert.Equal(["three"], await Names(ViewType.All, e3, "not-a-number", "123456"));
        Assert.Empty(await Names(ViewType.All, "123456"));
    }

    [Fact]
    public async Task SearchRuns_BadInputs_ThrowInvalid()
    {
        var exp = await CreateExperimentAsync();

        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchAsync([exp], token: "not-a-token"));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchAsync([exp], max: 0));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchAsync([exp], [Clause(FilterKeyKind.Attribute, "start_time", FilterOperator.GreaterThan, "yesterday")]));
        await ThrowsRegistry(RegistryErrorCode.InvalidParameterValue, () => SearchAsync([exp], [Clause(FilterKeyKind.Param, "p", FilterOperator.In)]));
    }

    [Fact]
    public async Task SearchRuns_CombinesClausesOfEveryKind()
    {
        var exp = await CreateExperimentAsync();
        var hit = await CreateRunAsync(exp, "hit", startTime: 500);
        var miss = await CreateRunAsync(exp, "miss", startTime: 500);
        foreach (var run in new[] { hit, miss })
        {
            await LogAsync(run.Info.RunId, [new Metric("acc", run == hit ? 0.9 : 0.4, 1, 0)], [new Param("model", "gbm")], [new RunTag("team", "fraud")]);
            await Store.LogInputsAsync(run.Info.RunId, [Input("adult", "d1")], CancellationToken.None);
        }

        Assert.Equal(["hit"], await SearchNamesAsync(
            exp,
            Clause(FilterKeyKind.Metric, "acc", FilterOperator.GreaterThan, "0.5"),
            Clause(FilterKeyKind.Param, "model", FilterOperator.Equal, "gbm"),
            Clause(FilterKeyKind.Tag, "team", FilterOperator.Equal, "fraud"),
            Clause(FilterKeyKind.Dataset, "context", FilterOperator.Equal, "training"),
            Clause(FilterKeyKind.Attribute, "start_time", FilterOperator.Equal, "500")));
    }

    [Fact]
    public async Task GetRun_ReturnsDeletedRuns()
    {
        var run = await CreateRunAsync(await CreateExperimentAsync());
        await Store.SetRunLifecycleAsync(run.Info.RunId, LifecycleStage.Deleted, 10, CancellationToken.None);

        Assert.Equal(LifecycleStage.Deleted, (await GetRunAsync(run.Info.RunId)).Info.LifecycleStage);
    }

    [Fact]
    public async Task SearchRuns_ReturnsWholeRuns()
    {
        var exp = await CreateExperimentAsync();
        var run = await CreateRunAsync(exp, "whole");
        await LogAsync(run.Info.RunId, [new Metric("b", 2, 1, 0), new Metric("a", 1, 1, 0)], [new Param("p", "v")], [new RunTag("t", "v")]);
        await Store.LogInputsAsync(run.Info.RunId, [Input("ds", "dg")], CancellationToken.None);

        var found = (await SearchAsync([exp])).Items.Single();

        var fetched = await GetRunAsync(run.Info.RunId);
        Assert.Equal(fetched.Info, found.Info);
        Assert.Equal(fetched.Data.Metrics, found.Data.Metrics);
        Assert.Equal(fetched.Data.Params, found.Data.Params);
        Assert.Equal(fetched.Data.Tags, found.Data.Tags);
        Assert.Equal(["a", "b"], found.Data.Metrics.Select(m => m.Key));
        Assert.Equal("ds", found.Inputs.Single().Dataset.Name);
    }

    [Fact]
    public async Task SearchRuns_KeysAndValuesRepeatedAcrossRuns_ComeBackExactly()
    {
        // Many distinct keys (more than any small cache of repeated strings holds), keys that differ only in one
        // byte, non-ASCII text, empty values and long values, repeated across runs in a varying mix.
        var exp = await CreateExperimentAsync();
        var longValue = new string('v', 300) + "é";
        var expected = new Dictionary<string, (Param[] Params, Metric[] Metrics, RunTag[] Tags)>(StringComparer.Ordinal);
        for (var r = 0; r < 6; r++)
        {
            var run = await CreateRunAsync(exp, "run" + r);
            var parameters = Enumerable.Range(0, 300).Select(i => new Param(
                i % 7 == 0 ? "ключ-" + i : "k" + i,
                ((i + r) % 5) switch { 0 => string.Empty, 1 => longValue, 2 => "値" + (i % 3), 3 => "v" + ((i + r) % 4), _ => "v" + i })).ToArray();
            var metrics = Enumerable.Range(0, 40).Select(i => new Metric("m" + i + (r % 2 == 0 ? "a" : "b"), i + r, r, i)).ToArray();
            var tags = new[] { new RunTag("t", "x" + (r % 2)), new RunTag("t2", longValue) };
            await LogAsync(run.Info.RunId, metrics, parameters, tags);
            expected[run.Info.RunId] = (parameters, metrics, tags);
        }

        var found = (await SearchAsync([exp])).Items;

        Assert.Equal(6, found.Count);
        foreach (var run in found)
        {
            var (parameters, metrics, tags) = expected[run.Info.RunId];
            Assert.Equal(parameters.OrderBy(p => p.Key, StringComparer.Ordinal), run.Data.Params);
            Assert.Equal(metrics.OrderBy(m => m.Key, StringComparer.Ordinal), run.Data.Metrics);
            Assert.Equal(tags, run.Data.Tags.Where(t => t.Key != "mlflow.runName"));
        }
    }
}
