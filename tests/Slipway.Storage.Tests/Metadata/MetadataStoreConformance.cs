using Slipway.Core.Artifacts;
using Slipway.Core.Registry;
using Slipway.Core.Search;
using Slipway.Storage;
using Slipway.Storage.Metadata;

namespace Slipway.Storage.Tests.Metadata;

/// <summary>
/// What every metadata store must do. Each provider inherits this class and says how to make a fresh database;
/// every test gets its own database and still uses unique names.
/// </summary>
public abstract class MetadataStoreConformance : IAsyncLifetime
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

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    protected static AliasChange Change(string reason, long timestamp = 5000) => new("alice", reason, timestamp);

    protected static StoredFile File(string path, string content) =>
        new(path, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content))), content.Length);

    protected static NewModelVersion Version(string name, string runId = "", string source = "mlflow-artifacts:/x", IReadOnlyDictionary<string, string>? tags = null) =>
        new(name, source, runId, "", "first", "bob", tags ?? NoTags);

    protected Task<RegisteredModel> CreateModelAsync(string name, IReadOnlyDictionary<string, string>? tags = null, long timestamp = 1000) =>
        Store.CreateRegisteredModelAsync(name, "about " + name, tags ?? NoTags, timestamp, CancellationToken.None);

    protected Task<ModelVersion> CreateReadyVersionAsync(string name, long timestamp = 2000, IReadOnlyDictionary<string, string>? tags = null, string runId = "", string source = "mlflow-artifacts:/x") =>
        Store.CreateModelVersionAsync(Version(name, runId, source, tags), [File("model/MLmodel", name)], timestamp, CancellationToken.None);

    private static async Task<RegistryException> ThrowsRegistry(RegistryErrorCode code, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }

    [Fact]
    public async Task CreateRegisteredModel_RoundTripsFieldsAndTags()
    {
        var name = Unique("model");
        var created = await CreateModelAsync(name, new Dictionary<string, string> { ["team"] = "fraud", ["tier"] = "1" }, timestamp: 1234);

        var fetched = await Store.GetRegisteredModelAsync(name, CancellationToken.None);

        Assert.NotNull(fetched);
        Assert.Equal(name, fetched.Name);
        Assert.Equal(1234, fetched.CreationTimestamp);
        Assert.Equal(1234, fetched.LastUpdatedTimestamp);
        Assert.Equal("about " + name, fetched.Description);
        Assert.Equal("fraud", fetched.Tags["team"]);
        Assert.Equal(2, fetched.Tags.Count);
        Assert.Empty(fetched.Aliases);
        Assert.Empty(fetched.LatestVersions);
        Assert.Equal(created.Tags, fetched.Tags);
    }

    [Fact]
    public async Task CreateRegisteredModel_Duplicate_ThrowsAlreadyExists()
    {
        var name = Unique("dup");
        await CreateModelAsync(name);

        var e = await ThrowsRegistry(RegistryErrorCode.ResourceAlreadyExists, () => CreateModelAsync(name));

        Assert.Equal($"Registered Model (name={name}) already exists.", e.Message);
    }

    [Fact]
    public async Task MissingModel_GetReturnsNull_OthersThrowNotFound()
    {
        var name = Unique("missing");

        Assert.Null(await Store.GetRegisteredModelAsync(name, CancellationToken.None));
        var e = await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.UpdateRegisteredModelAsync(name, "d", 1, CancellationToken.None));
        Assert.Equal($"Registered Model with name={name} not found", e.Message);
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.DeleteRegisteredModelAsync(name, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.RenameRegisteredModelAsync(name, name + "x", 1, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.SetRegisteredModelTagAsync(name, "k", "v", 1, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.CreateModelVersionAsync(Version(name), null, 1, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.GetAliasHistoryAsync(name, null, CancellationToken.None));
        Assert.Null(await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None));
    }

    [Fact]
    public async Task UpdateRegisteredModel_SetsDescriptionAndTimestamp()
    {
        var name = Unique("upd");
        await CreateModelAsync(name);

        var updated = await Store.UpdateRegisteredModelAsync(name, "new words", 9000, CancellationToken.None);

        Assert.Equal("new words", updated.Description);
        Assert.Equal(9000, updated.LastUpdatedTimestamp);
        Assert.Equal(1000, updated.CreationTimestamp);
        Assert.Equal("new words", (await Store.GetRegisteredModelAsync(name, CancellationToken.None))!.Description);
    }

    [Fact]
    public async Task ModelTags_SetReplaceDelete()
    {
        var name = Unique("tags");
        await CreateModelAsync(name);

        await Store.SetRegisteredModelTagAsync(name, "k", "v1", 2000, CancellationToken.None);
        await Store.SetRegisteredModelTagAsync(name, "k", "v2", 3000, CancellationToken.None);
        await Store.SetRegisteredModelTagAsync(name, "other key", "x", 3000, CancellationToken.None);
        var model = await Store.GetRegisteredModelAsync(name, CancellationToken.None);
        Assert.Equal("v2", model!.Tags["k"]);
        Assert.Equal(3000, model.LastUpdatedTimestamp);

        await Store.DeleteRegisteredModelTagAsync(name, "k", CancellationToken.None);
        model = await Store.GetRegisteredModelAsync(name, CancellationToken.None);
        Assert.False(model!.Tags.ContainsKey("k"));
        Assert.Equal("x", model.Tags["other key"]);
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.DeleteRegisteredModelTagAsync(name, "k", CancellationToken.None));
    }

    [Fact]
    public async Task CreateModelVersion_NumbersIncreaseAndAreNeverReused()
    {
        var name = Unique("nums");
        await CreateModelAsync(name);

        var v1 = await CreateReadyVersionAsync(name);
        var v2 = await CreateReadyVersionAsync(name);
        await Store.DeleteModelVersionAsync(name, 2, Change("cleanup"), CancellationToken.None);
        var v3 = await CreateReadyVersionAsync(name, timestamp: 7000);

        Assert.Equal([1L, 2L, 3L], new[] { v1.Version, v2.Version, v3.Version });
        Assert.Null(await Store.GetModelVersionAsync(name, 2, CancellationToken.None));
        var model = await Store.GetRegisteredModelAsync(name, CancellationToken.None);
        Assert.Equal(7000, model!.LastUpdatedTimestamp);
        var latest = Assert.Single(model.LatestVersions);
        Assert.Equal(3, latest.Version);
    }

    [Fact]
    public async Task CreateModelVersion_WithFiles_IsReadyWithDigestAndFiles()
    {
        var name = Unique("ready");
        await CreateModelAsync(name);
        StoredFile[] files = [File("model/model.onnx", "onnx"), File("model/MLmodel", "yaml"), File("README.md", "hi")];

        var version = await Store.CreateModelVersionAsync(
            new NewModelVersion(name, "runs:/abc/model", "abc", "http://run", "desc", "bob", new Dictionary<string, string> { ["slipway.lineage.data"] = "sha" }),
            files,
            4242,
            CancellationToken.None);

        Assert.Equal(ModelVersionStatus.Ready, version.Status);
        Assert.Equal(ManifestDigest.Compute(files), version.ContentDigest);
        Assert.Equal("runs:/abc/model", version.Source);
        Assert.Equal("abc", version.RunId);
        Assert.Equal("http://run", version.RunLink);
        Assert.Equal("desc", version.Description);
        Assert.Equal("bob", version.UserId);
        Assert.Equal("None", version.CurrentStage);
        Assert.Equal(4242, version.CreationTimestamp);
        Assert.Equal("sha", version.Tags["slipway.lineage.data"]);
        var stored = await Store.GetModelVersionFilesAsync(name, version.Version, CancellationToken.None);
        Assert.Equal(files.OrderBy(f => f.Path, StringComparer.Ordinal), stored);
    }

    [Fact]
    public async Task PendingVersion_CompletesReady_ThenRejectsSecondCompletion()
    {
        var name = Unique("pending");
        await CreateModelAsync(name);
        var pending = await Store.CreateModelVersionAsync(Version(name), null, 2000, CancellationToken.None);
        Assert.Equal(ModelVersionStatus.PendingRegistration, pending.Status);
        Assert.Equal(string.Empty, pending.ContentDigest);
        Assert.Empty(await Store.GetModelVersionFilesAsync(name, pending.Version, CancellationToken.None));

        StoredFile[] files = [File("a.bin", "a")];
        var ready = await Store.CompleteModelVersionAsync(name, pending.Version, ModelVersionStatus.Ready, "", files, 3000, CancellationToken.None);

        Assert.Equal(ModelVersionStatus.Ready, ready.Status);
        Assert.Equal(3000, ready.LastUpdatedTimestamp);
        Assert.Equal(ManifestDigest.Compute(files), ready.ContentDigest);
        Assert.Equal(files, await Store.GetModelVersionFilesAsync(name, pending.Version, CancellationToken.None));
        await ThrowsRegistry(
            RegistryErrorCode.InvalidState,
            () => Store.CompleteModelVersionAsync(name, pending.Version, ModelVersionStatus.FailedRegistration, "x", [], 4000, CancellationToken.None));
        await ThrowsRegistry(
            RegistryErrorCode.ResourceDoesNotExist,
            () => Store.CompleteModelVersionAsync(name, 99, ModelVersionStatus.Ready, "", [], 4000, CancellationToken.None));
    }

    [Fact]
    public async Task PendingVersion_CompletesFailed_WithMessageAndNoFiles()
    {
        var name = Unique("failed");
        await CreateModelAsync(name);
        var pending = await Store.CreateModelVersionAsync(Version(name), null, 2000, CancellationToken.None);

        var failed = await Store.CompleteModelVersionAsync(name, pending.Version, ModelVersionStatus.FailedRegistration, "copy failed", [File("a", "a")], 3000, CancellationToken.None);

        Assert.Equal(ModelVersionStatus.FailedRegistration, failed.Status);
        Assert.Equal("copy failed", failed.StatusMessage);
        Assert.Empty(await Store.GetModelVersionFilesAsync(name, pending.Version, CancellationToken.None));
    }

    [Fact]
    public async Task FailPendingModelVersions_FailsOnlyOlderPendingVersions()
    {
        var name = Unique("crash");
        await CreateModelAsync(name);
        var old = await Store.CreateModelVersionAsync(Version(name), null, 1000, CancellationToken.None);
        var young = await Store.CreateModelVersionAsync(Version(name), null, 5000, CancellationToken.None);
        var ready = await CreateReadyVersionAsync(name, timestamp: 500);

        var count = await Store.FailPendingModelVersionsAsync(3000, "server restarted", CancellationToken.None);

        Assert.Equal(1, count);
        var failed = await Store.GetModelVersionAsync(name, old.Version, CancellationToken.None);
        Assert.Equal(ModelVersionStatus.FailedRegistration, failed!.Status);
        Assert.Equal("server restarted", failed.StatusMessage);
        Assert.Equal(ModelVersionStatus.PendingRegistration, (await Store.GetModelVersionAsync(name, young.Version, CancellationToken.None))!.Status);
        Assert.Equal(ModelVersionStatus.Ready, (await Store.GetModelVersionAsync(name, ready.Version, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task MissingVersion_GetReturnsNull_OthersThrowNotFound()
    {
        var name = Unique("nover");
        await CreateModelAsync(name);

        Assert.Null(await Store.GetModelVersionAsync(name, 3, CancellationToken.None));
        var e = await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.UpdateModelVersionAsync(name, 3, "d", 1, CancellationToken.None));
        Assert.Equal($"Model Version (name={name}, version=3) not found", e.Message);
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.DeleteModelVersionAsync(name, 3, Change("x"), CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.SetModelVersionTagAsync(name, 3, "k", "v", 1, CancellationToken.None));
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.SetAliasAsync(name, "champion", 3, Change("x"), CancellationToken.None));
    }

    [Fact]
    public async Task VersionTagsAndDescription_Update()
    {
        var name = Unique("vtags");
        await CreateModelAsync(name);
        var v = await CreateReadyVersionAsync(name);

        await Store.SetModelVersionTagAsync(name, v.Version, "stage", "canary", 3000, CancellationToken.None);
        await Store.SetModelVersionTagAsync(name, v.Version, "stage", "prod", 3100, CancellationToken.None);
        var updated = await Store.UpdateModelVersionAsync(name, v.Version, "better", 3200, CancellationToken.None);

        Assert.Equal("prod", updated.Tags["stage"]);
        Assert.Equal("better", updated.Description);
        Assert.Equal(3200, updated.LastUpdatedTimestamp);
        await Store.DeleteModelVersionTagAsync(name, v.Version, "stage", CancellationToken.None);
        Assert.Empty((await Store.GetModelVersionAsync(name, v.Version, CancellationToken.None))!.Tags);
        await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.DeleteModelVersionTagAsync(name, v.Version, "stage", CancellationToken.None));
    }

    [Fact]
    public async Task Aliases_SetMoveDelete_RecordHistory()
    {
        var name = Unique("alias");
        await CreateModelAsync(name);
        await CreateReadyVersionAsync(name);
        await CreateReadyVersionAsync(name);

        await Store.SetAliasAsync(name, "champion", 1, Change("first", 10), CancellationToken.None);
        await Store.SetAliasAsync(name, "challenger", 2, Change("try", 11), CancellationToken.None);
        Assert.Equal(1, (await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None))!.Version);
        await Store.SetAliasAsync(name, "champion", 2, Change("promote", 12), CancellationToken.None);

        var model = await Store.GetRegisteredModelAsync(name, CancellationToken.None);
        Assert.Equal([new ModelAlias("challenger", 2), new ModelAlias("champion", 2)], model!.Aliases);
        var v2 = await Store.GetModelVersionAsync(name, 2, CancellationToken.None);
        Assert.Equal(["challenger", "champion"], v2!.Aliases);
        Assert.Empty((await Store.GetModelVersionAsync(name, 1, CancellationToken.None))!.Aliases);

        await Store.DeleteAliasAsync(name, "champion", Change("retire", 13), CancellationToken.None);
        Assert.Null(await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None));
        var e = await ThrowsRegistry(RegistryErrorCode.ResourceDoesNotExist, () => Store.DeleteAliasAsync(name, "champion", Change("again"), CancellationToken.None));
        Assert.Contains("champion", e.Message, StringComparison.Ordinal);

        var history = await Store.GetAliasHistoryAsync(name, "champion", CancellationToken.None);
        Assert.Equal(
            [(null, 1L, "first", 10L), (1L, 2L, "promote", 12L), (2L, null, "retire", 13L)],
            history.Select(h => (h.FromVersion, h.ToVersion, h.Reason, h.Timestamp)).ToArray());
        Assert.All(history, h => Assert.Equal("alice", h.User));
        Assert.True(history[0].Id < history[1].Id && history[1].Id < history[2].Id);
        Assert.Equal(4, (await Store.GetAliasHistoryAsync(name, null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task DeleteModelVersion_RemovesItsAliasesAndRecordsHistory()
    {
        var name = Unique("delv");
        await CreateModelAsync(name);
        await CreateReadyVersionAsync(name);
        await CreateReadyVersionAsync(name);
        await Store.SetAliasAsync(name, "champion", 2, Change("go"), CancellationToken.None);
        await Store.SetAliasAsync(name, "backup", 1, Change("keep"), CancellationToken.None);

        await Store.DeleteModelVersionAsync(name, 2, Change("bad model", 77), CancellationToken.None);

        Assert.Null(await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None));
        var model = await Store.GetRegisteredModelAsync(name, CancellationToken.None);
        Assert.Equal([new ModelAlias("backup", 1)], model!.Aliases);
        Assert.Equal(1, Assert.Single(model.LatestVersions).Version);
        var last = (await Store.GetAliasHistoryAsync(name, "champion", CancellationToken.None))[^1];
        Assert.Equal((2L, (long?)null, "bad model", 77L), (last.FromVersion!.Value, last.ToVersion, last.Reason, last.Timestamp));
    }

    [Fact]
    public async Task Rename_CarriesVersionsTagsFilesAliasesAndHistory()
    {
        var name = Unique("old");
        var newName = Unique("new");
        await CreateModelAsync(name, new Dictionary<string, string> { ["t"] = "1" });
        var v = await Store.CreateModelVersionAsync(Version(name, tags: new Dictionary<string, string> { ["vt"] = "2" }), [File("f.txt", "f")], 2000, CancellationToken.None);
        await Store.SetAliasAsync(name, "champion", v.Version, Change("go"), CancellationToken.None);

        var renamed = await Store.RenameRegisteredModelAsync(name, newName, 8000, CancellationToken.None);

        Assert.Equal(newName, renamed.Name);
        Assert.Equal(8000, renamed.LastUpdatedTimestamp);
        Assert.Equal("1", renamed.Tags["t"]);
        Assert.Equal([new ModelAlias("champion", 1)], renamed.Aliases);
        Assert.Null(await Store.GetRegisteredModelAsync(name, CancellationToken.None));
        var moved = await Store.GetModelVersionAsync(newName, 1, CancellationToken.None);
        Assert.Equal(newName, moved!.Name);
        Assert.Equal("2", moved.Tags["vt"]);
        Assert.Equal(["champion"], moved.Aliases);
        Assert.Single(await Store.GetModelVersionFilesAsync(newName, 1, CancellationToken.None));
        var history = Assert.Single(await Store.GetAliasHistoryAsync(newName, null, CancellationToken.None));
        Assert.Equal(newName, history.Name);
        Assert.Equal(2, (await CreateReadyVersionAsync(newName)).Version);
    }

    [Fact]
    public async Task Rename_ToExistingName_ThrowsAlreadyExists_AndChangesNothing()
    {
        var a = Unique("a");
        var b = Unique("b");
        await CreateModelAsync(a);
        await CreateModelAsync(b);
        await CreateReadyVersionAsync(a);

        var e = await ThrowsRegistry(RegistryErrorCode.ResourceAlreadyExists, () => Store.RenameRegisteredModelAsync(a, b, 1, CancellationToken.None));

        Assert.Equal($"Registered Model (name={b}) already exists.", e.Message);
        Assert.NotNull(await Store.GetModelVersionAsync(a, 1, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteModel_RemovesEverything_AndNameCanBeReused()
    {
        var name = Unique("gone");
        await CreateModelAsync(name);
        await CreateReadyVersionAsync(name);
        await Store.SetAliasAsync(name, "champion", 1, Change("go"), CancellationToken.None);

        await Store.DeleteRegisteredModelAsync(name, CancellationToken.None);

        Assert.Null(await Store.GetRegisteredModelAsync(name, CancellationToken.None));
        Assert.Null(await Store.GetModelVersionAsync(name, 1, CancellationToken.None));
        await CreateModelAsync(name);
        Assert.Empty(await Store.GetAliasHistoryAsync(name, null, CancellationToken.None));
        Assert.Empty(await Store.GetModelVersionFilesAsync(name, 1, CancellationToken.None));
        Assert.Equal(1, (await CreateReadyVersionAsync(name)).Version);
    }

    [Fact]
    public async Task SearchModels_FiltersByEachOperator()
    {
        var p = Unique("srch");
        await CreateModelAsync($"{p}-alpha", new Dictionary<string, string> { ["team"] = "fraud", ["the key"] = "x y" }, timestamp: 100);
        await CreateModelAsync($"{p}-Beta", new Dictionary<string, string> { ["team"] = "risk" }, timestamp: 200);
        await CreateModelAsync($"{p}-gamma", timestamp: 300);

        async Task<string[]> Names(params FilterClause[] clauses) =>
            (await Store.SearchRegisteredModelsAsync(new SearchQuery([Prefix(p), .. clauses], [], 100, null), CancellationToken.None)).Items.Select(m => m.Name[(p.Length + 1)..]).ToArray();

        Assert.Equal(["Beta", "alpha", "gamma"], await Names());
        Assert.Equal(["alpha"], await Names(Attr("name", FilterOperator.Equal, $"{p}-alpha")));
        Assert.Equal(["Beta", "gamma"], await Names(Attr("name", FilterOperator.NotEqual, $"{p}-alpha")));
        Assert.Equal(["Beta"], await Names(Attr("name", FilterOperator.Like, "%-Bet_")));
        Assert.Empty(await Names(Attr("name", FilterOperator.Like, "%-beta")));
        Assert.Equal(["Beta"], await Names(Attr("name", FilterOperator.ILike, "%-bETA")));
        Assert.Equal(["alpha", "gamma"], await Names(Attr("name", FilterOperator.In, $"{p}-alpha", $"{p}-gamma")));
        Assert.Equal(["Beta"], await Names(Attr("name", FilterOperator.NotIn, $"{p}-alpha", $"{p}-gamma")));
        Assert.Equal(["alpha"], await Names(Tag("team", FilterOperator.Equal, "fraud")));
        Assert.Equal(["Beta"], await Names(Tag("team", FilterOperator.NotEqual, "fraud")));
        Assert.Equal(["Beta", "alpha"], await Names(Tag("team", FilterOperator.Like, "%r%")));
        Assert.Equal(["alpha"], await Names(Tag("the key", FilterOperator.Equal, "x y")));
        Assert.Equal(["Beta", "gamma"], await Names(Attr("creation_timestamp", FilterOperator.GreaterThan, "100")));
        Assert.Equal(["Beta", "alpha"], await Names(Attr("creation_timestamp", FilterOperator.LessThanOrEqual, "200")));
        Assert.Equal(["alpha"], await Names(Tag("team", FilterOperator.ILike, "FRAUD"), Attr("name", FilterOperator.Like, "%alpha")));
    }

    [Fact]
    public async Task SearchModels_RejectsBadFiltersAndTokens()
    {
        await CreateModelAsync(Unique("bad"));

        var e = await ThrowsRegistry(
            RegistryErrorCode.InvalidParameterValue,
            () => Store.SearchRegisteredModelsAsync(new SearchQuery([Attr("creation_timestamp", FilterOperator.Equal, "soon")], [], 10, null), CancellationToken.None));
        Assert.Contains("creation_timestamp", e.Message, StringComparison.Ordinal);
        await ThrowsRegistry(
            RegistryErrorCode.InvalidParameterValue,
            () => Store.SearchRegisteredModelsAsync(new SearchQuery([Attr("run_id", FilterOperator.Equal, "x")], [], 10, null), CancellationToken.None));
        await ThrowsRegistry(
            RegistryErrorCode.InvalidParameterValue,
            () => Store.SearchRegisteredModelsAsync(new SearchQuery([], [new OrderTerm("version_number", false)], 10, null), CancellationToken.None));
        e = await ThrowsRegistry(
            RegistryErrorCode.InvalidParameterValue,
            () => Store.SearchRegisteredModelsAsync(new SearchQuery([], [], 10, "not-a-token"), CancellationToken.None));
        Assert.StartsWith("Invalid page_token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchModels_OrdersAndPagesWithoutGapsOrDuplicates()
    {
        var p = Unique("page");
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var name = $"{p}-{i}";
            await CreateModelAsync(name, timestamp: 1000 + (i % 3));
            expected.Add(name);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.SearchRegisteredModelsAsync(
                new SearchQuery([Prefix(p)], [new OrderTerm("creation_timestamp", Descending: true)], 3, token), CancellationToken.None);
            seen.AddRange(page.Items.Select(m => m.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(3, pages);
        var byTimeThenName = expected.OrderByDescending(n => 1000 + (int.Parse(n[(p.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture) % 3)).ThenBy(n => n, StringComparer.Ordinal);
        Assert.Equal(byTimeThenName, seen);
    }

    [Fact]
    public async Task SearchVersions_FiltersDefaultOrderAndPaging()
    {
        var a = Unique("va");
        var b = a + "-b";
        await CreateModelAsync(a);
        await CreateModelAsync(b);
        await CreateReadyVersionAsync(a, runId: "run1", source: "runs:/run1/model", tags: new Dictionary<string, string> { ["env"] = "prod" });
        await CreateReadyVersionAsync(a, runId: "run2", source: "s3://bucket/a");
        await CreateReadyVersionAsync(a, runId: "run3", source: "runs:/run3/model");
        await CreateReadyVersionAsync(b, runId: "run1", source: "runs:/run1/other");

        async Task<string[]> Keys(IReadOnlyList<OrderTerm> order, params FilterClause[] clauses) =>
            (await Store.SearchModelVersionsAsync(new SearchQuery([Prefix(a), .. clauses], order, 100, null), CancellationToken.None)).Items.Select(v => $"{v.Name[a.Length..]}/{v.Version}").ToArray();

        Assert.Equal(["/3", "/2", "/1", "-b/1"], await Keys([]));
        Assert.Equal(["/1", "-b/1", "/2", "/3"], await Keys([new OrderTerm("version_number", false)]));
        Assert.Equal(["/3", "/2"], await Keys([], Attr("name", FilterOperator.Equal, a), Attr("version_number", FilterOperator.GreaterThanOrEqual, "2")));
        Assert.Equal(["/1"], await Keys([], Attr("name", FilterOperator.Equal, a), Attr("version_number", FilterOperator.Equal, "1")));
        Assert.Equal(["/3", "/1", "-b/1"], await Keys([], Attr("run_id", FilterOperator.In, "run1", "run3")));
        Assert.Equal(["/3", "/1"], await Keys([], Attr("source_path", FilterOperator.Like, "runs:/%/model")));
        Assert.Equal(["/1"], await Keys([], Tag("env", FilterOperator.Equal, "prod")));
        Assert.Equal(["/2"], await Keys([], Attr("run_id", FilterOperator.NotEqual, "run1"), Attr("version_number", FilterOperator.LessThan, "3")));

        var first = await Store.SearchModelVersionsAsync(new SearchQuery([Prefix(a)], [], 3, null), CancellationToken.None);
        Assert.Equal(3, first.Items.Count);
        var second = await Store.SearchModelVersionsAsync(new SearchQuery([Prefix(a)], [], 3, first.NextPageToken), CancellationToken.None);
        Assert.Equal(b, Assert.Single(second.Items).Name);
        Assert.Null(second.NextPageToken);
    }

    [Fact]
    public async Task TwoStoreInstances_CreatingVersionsConcurrently_GetDistinctNumbers()
    {
        var name = Unique("race");
        await CreateModelAsync(name);
        await using var other = await StorageFactory.OpenMetadataStoreAsync(StoreUri, TimeProvider.System, CancellationToken.None);

        async Task<List<long>> Create(SqlMetadataStore store)
        {
            var numbers = new List<long>();
            for (var i = 0; i < 50; i++)
            {
                numbers.Add((await store.CreateModelVersionAsync(Version(name), [File("f", "f")], 2000, CancellationToken.None)).Version);
            }

            return numbers;
        }

        var results = await Task.WhenAll(Task.Run(() => Create(Store)), Task.Run(() => Create(other)));

        var all = results.SelectMany(r => r).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), all);
        var page = await Store.SearchModelVersionsAsync(new SearchQuery([Attr("name", FilterOperator.Equal, name)], [], 1000, null), CancellationToken.None);
        Assert.Equal(100, page.Items.Select(v => v.Version).Distinct().Count());
    }

    [Fact]
    public async Task Reopening_KeepsDataAndDoesNotReapplyMigrations()
    {
        var name = Unique("persist");
        await CreateModelAsync(name);
        await Store.DisposeAsync();

        Store = await StorageFactory.OpenMetadataStoreAsync(StoreUri, TimeProvider.System, CancellationToken.None);

        Assert.NotNull(await Store.GetRegisteredModelAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task OpeningConcurrently_OnAFreshDatabase_MigratesOnce()
    {
        var uri = await CreateStoreUriAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => StorageFactory.OpenMetadataStoreAsync(uri, TimeProvider.System, CancellationToken.None))));
        try
        {
            var name = Unique("fresh");
            await stores[0].CreateRegisteredModelAsync(name, "", NoTags, 1, CancellationToken.None);
            Assert.NotNull(await stores[2].GetRegisteredModelAsync(name, CancellationToken.None));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    protected static FilterClause Prefix(string prefix) => Attr("name", FilterOperator.Like, prefix + "%");

    protected static FilterClause Attr(string key, FilterOperator op, params string[] values) => new(FilterKeyKind.Attribute, key, op, values);

    protected static FilterClause Tag(string key, FilterOperator op, params string[] values) => new(FilterKeyKind.Tag, key, op, values);
}
