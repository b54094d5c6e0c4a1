using System.Text;
using Slipway.Core.Registry;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Conformance;

/// <summary>
/// What every <see cref="IModelRegistry"/> must do, errors included. Runs against the in-process service and against
/// the HTTP client talking to a real server, on each storage provider: passing everywhere means remote and embedded
/// behave the same.
/// </summary>
public abstract class RegistryConformanceTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected IModelRegistry Registry { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Create_then_get_round_trips_description_and_tags()
    {
        var name = Names.Unique("conf");
        var created = await Registry.CreateRegisteredModelAsync(name, "first model", new Dictionary<string, string> { ["team"] = "fraud", ["empty"] = "" }, None);
        var fetched = await Registry.GetRegisteredModelAsync(name, None);

        Assert.Equal(name, fetched.Name);
        Assert.Equal("first model", fetched.Description);
        Assert.Equal("fraud", fetched.Tags["team"]);
        Assert.Equal("", fetched.Tags["empty"]);
        Assert.Equal(created.CreationTimestamp, fetched.CreationTimestamp);
        Assert.True(fetched.CreationTimestamp > 1_600_000_000_000, "timestamps are milliseconds since the epoch");
        Assert.Empty(fetched.LatestVersions);
        Assert.Empty(fetched.Aliases);
    }

    [Fact]
    public async Task Duplicate_model_is_already_exists()
    {
        var name = Names.Unique("conf");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        var error = await Assert.ThrowsAsync<RegistryException>(() => Registry.CreateRegisteredModelAsync(name, null, null, None));
        Assert.Equal(RegistryErrorCode.ResourceAlreadyExists, error.Code);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_model_is_not_found()
    {
        var name = Names.Unique("missing");
        var error = await Assert.ThrowsAsync<RegistryException>(() => Registry.GetRegisteredModelAsync(name, None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, error.Code);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a@b")]
    [InlineData(" padded")]
    public async Task Invalid_model_names_are_rejected(string name)
    {
        var error = await Assert.ThrowsAsync<RegistryException>(() => Registry.CreateRegisteredModelAsync(name, null, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rename_update_and_delete_a_model()
    {
        var name = Names.Unique("conf");
        var newName = Names.Unique("renamed");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        await CreateVersionAsync(name);

        var renamed = await Registry.RenameRegisteredModelAsync(name, newName, None);
        Assert.Equal(newName, renamed.Name);
        Assert.Equal(newName, (await Registry.GetModelVersionAsync(newName, 1, None)).Name);
        await Assert.ThrowsAsync<RegistryException>(() => Registry.GetRegisteredModelAsync(name, None));

        var updated = await Registry.UpdateRegisteredModelAsync(newName, "now described", None);
        Assert.Equal("now described", updated.Description);

        await Registry.DeleteRegisteredModelAsync(newName, None);
        var error = await Assert.ThrowsAsync<RegistryException>(() => Registry.GetModelVersionAsync(newName, 1, None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, error.Code);
    }

    [Fact]
    public async Task Model_tags_set_replace_and_delete()
    {
        var name = Names.Unique("conf");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        await Registry.SetRegisteredModelTagAsync(name, "stage", "dev", None);
        await Registry.SetRegisteredModelTagAsync(name, "stage", "prod", None);
        Assert.Equal("prod", (await Registry.GetRegisteredModelAsync(name, None)).Tags["stage"]);

        await Registry.DeleteRegisteredModelTagAsync(name, "stage", None);
        Assert.False((await Registry.GetRegisteredModelAsync(name, None)).Tags.ContainsKey("stage"));
        var error = await Assert.ThrowsAsync<RegistryException>(() => Registry.DeleteRegisteredModelTagAsync(name, "stage", None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, error.Code);
    }

    [Fact]
    public async Task Search_models_filters_by_name_and_rejects_bad_page_sizes()
    {
        var name = Names.Unique("conf");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        await Registry.CreateRegisteredModelAsync(Names.Unique("other"), null, null, None);

        var page = await Registry.SearchRegisteredModelsAsync($"name='{name}'", null, 100, null, None);
        Assert.Equal([name], page.Items.Select(m => m.Name));
        Assert.Null(page.NextPageToken);

        var tooMany = await Assert.ThrowsAsync<RegistryException>(() => Registry.SearchRegisteredModelsAsync(null, null, 1001, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, tooMany.Code);
        Assert.Contains("max_results", tooMany.Message, StringComparison.Ordinal);
        var zero = await Assert.ThrowsAsync<RegistryException>(() => Registry.SearchModelVersionsAsync(null, null, 0, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, zero.Code);
    }

    [Fact]
    public async Task Version_from_uploaded_artifacts_is_ready_with_files_and_digest()
    {
        var name = Names.Unique("conf");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        var version = await CreateVersionAsync(name, new Dictionary<string, string> { ["slipway.lineage.git_commit"] = "abc123", ["q"] = "1" });

        Assert.Equal(1, version.Version);
        Assert.Equal(ModelVersionStatus.Ready, version.Status);
        Assert.Equal("None", version.CurrentStage);
        Assert.Equal("abc123", version.Tags["slipway.lineage.git_commit"]);
        Assert.Matches("^[0-9a-f]{64}$", version.ContentDigest);

        var files = await Registry.GetModelVersionFilesAsync(name, 1, None);
        Assert.Equal(["MLmodel", "model.onnx"], files.Select(f => f.Path));
        await using var stream = await Registry.OpenModelVersionFileAsync(name, 1, "model.onnx", None);
        using var reader = new StreamReader(stream);
        Assert.Equal("onnx-bytes-" + name, await reader.ReadToEndAsync());

        var second = await CreateVersionAsync(name);
        Assert.Equal(2, second.Version);
        var latest = await Registry.GetLatestVersionsAsync(name, null, None);
        Assert.Equal(2, Assert.Single(latest).Version);
    }

    [Fact]
    public async Task Version_errors_name_the_problem()
    {
        var name = Names.Unique("conf");
        var unknownModel = await Assert.ThrowsAsync<RegistryException>(() => Registry.CreateModelVersionAsync(NewVersion(name, "mlflow-artifacts:/nothing/here"), None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, unknownModel.Code);

        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        var noSource = await Assert.ThrowsAsync<RegistryException>(() => Registry.CreateModelVersionAsync(NewVersion(name, ""), None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, noSource.Code);
        Assert.Contains("source", noSource.Message, StringComparison.Ordinal);

        var emptySource = await Assert.ThrowsAsync<RegistryException>(() => Registry.CreateModelVersionAsync(NewVersion(name, "mlflow-artifacts:/" + Names.Unique("empty")), None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, emptySource.Code);

        var missing = await Assert.ThrowsAsync<RegistryException>(() => Registry.GetModelVersionAsync(name, 7, None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, missing.Code);
    }

    [Fact]
    public async Task Version_update_tags_and_delete()
    {
        var name = Names.Unique("conf");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        await CreateVersionAsync(name, new Dictionary<string, string> { ["slipway.metric.accuracy"] = "0.97" });

        Assert.Equal("tuned", (await Registry.UpdateModelVersionAsync(name, 1, "tuned", None)).Description);
        await Registry.SetModelVersionTagAsync(name, 1, "q", "1", None);
        Assert.Equal("1", (await Registry.GetModelVersionAsync(name, 1, None)).Tags["q"]);
        await Registry.DeleteModelVersionTagAsync(name, 1, "q", None);
        Assert.False((await Registry.GetModelVersionAsync(name, 1, None)).Tags.ContainsKey("q"));

        var immutable = await Assert.ThrowsAsync<RegistryException>(() => Registry.SetModelVersionTagAsync(name, 1, "slipway.metric.accuracy", "1.0", None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, immutable.Code);
        Assert.Equal("0.97", (await Registry.GetModelVersionAsync(name, 1, None)).Tags["slipway.metric.accuracy"]);

        await Registry.DeleteModelVersionAsync(name, 1, None);
        var gone = await Assert.ThrowsAsync<RegistryException>(() => Registry.GetModelVersionAsync(name, 1, None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, gone.Code);
    }

    [Fact]
    public async Task Aliases_resolve_move_and_keep_a_history_with_reasons()
    {
        var name = Names.Unique("conf");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        await CreateVersionAsync(name);
        await CreateVersionAsync(name);

        await Registry.SetAliasAsync(name, "champion", 1, "first release", None);
        Assert.Equal(1, (await Registry.GetModelVersionByAliasAsync(name, "champion", None)).Version);
        await Registry.SetAliasAsync(name, "champion", 2, "better accuracy", None);
        var resolved = await Registry.ResolveAsync(ModelUri.Parse($"models:/{name}@champion"), None);
        Assert.Equal(2, resolved.Version);
        Assert.Contains("champion", resolved.Aliases);
        Assert.Equal(1, (await Registry.ResolveAsync(ModelUri.Parse($"models:/{name}/1"), None)).Version);
        var model = await Registry.GetRegisteredModelAsync(name, None);
        Assert.Equal(new ModelAlias("champion", 2), Assert.Single(model.Aliases));

        await Registry.DeleteAliasAsync(name, "champion", "rolled back", None);
        var error = await Assert.ThrowsAsync<RegistryException>(() => Registry.GetModelVersionByAliasAsync(name, "champion", None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, error.Code);

        var history = await Registry.GetAliasHistoryAsync(name, "champion", None);
        Assert.Equal(["first release", "better accuracy", "rolled back"], history.Select(h => h.Reason));
        Assert.Equal([null, 1L, 2L], history.Select(h => h.FromVersion));
        Assert.Equal([1L, 2L, null], history.Select(h => h.ToVersion));
        Assert.All(history, h => Assert.Equal("tester", h.User));
        Assert.Empty(await Registry.GetAliasHistoryAsync(name, "other", None));
    }

    [Fact]
    public async Task Alias_errors()
    {
        var name = Names.Unique("conf");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        await CreateVersionAsync(name);

        var reserved = await Assert.ThrowsAsync<RegistryException>(() => Registry.SetAliasAsync(name, "latest", 1, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, reserved.Code);
        var badChars = await Assert.ThrowsAsync<RegistryException>(() => Registry.SetAliasAsync(name, "a b", 1, null, None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, badChars.Code);
        var noVersion = await Assert.ThrowsAsync<RegistryException>(() => Registry.SetAliasAsync(name, "champion", 9, null, None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, noVersion.Code);
        var noAlias = await Assert.ThrowsAsync<RegistryException>(() => Registry.ResolveAsync(ModelUri.Parse($"models:/{name}@nobody"), None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, noAlias.Code);
        var deleteMissing = await Assert.ThrowsAsync<RegistryException>(() => Registry.DeleteAliasAsync(name, "nobody", null, None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, deleteMissing.Code);
    }

    [Fact]
    public async Task Artifacts_upload_list_download_and_refuse_traversal()
    {
        var root = Names.Unique("art");
        var stored = await Registry.UploadArtifactAsync($"{root}/notes/hello.txt", new MemoryStream("hello"u8.ToArray()), None);
        Assert.Equal($"{root}/notes/hello.txt", stored.Path);
        Assert.Equal(5, stored.Size);
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", stored.Sha256);

        var top = await Registry.ListArtifactsAsync(root, None);
        var notes = Assert.Single(top);
        Assert.True(notes.IsDir);
        var inner = Assert.Single(await Registry.ListArtifactsAsync($"{root}/notes", None));
        Assert.False(inner.IsDir);
        Assert.Equal(5, inner.Size);

        await using (var stream = await Registry.OpenArtifactAsync($"{root}/notes/hello.txt", None))
        {
            using var reader = new StreamReader(stream);
            Assert.Equal("hello", await reader.ReadToEndAsync());
        }

        var missing = await Assert.ThrowsAsync<RegistryException>(() => Registry.OpenArtifactAsync($"{root}/nope.txt", None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, missing.Code);
        foreach (var bad in new[] { "../etc/passwd", "/abs/file", "a\\b", $"{root}/../x" })
        {
            var error = await Assert.ThrowsAsync<RegistryException>(() => Registry.UploadArtifactAsync(bad, new MemoryStream([1]), None));
            Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
            var listError = await Assert.ThrowsAsync<RegistryException>(() => Registry.ListArtifactsAsync(bad, None));
            Assert.Equal(RegistryErrorCode.InvalidParameterValue, listError.Code);
        }
    }

    [Fact]
    public async Task Download_uri_lists_the_versions_files()
    {
        var name = Names.Unique("conf");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        await CreateVersionAsync(name);

        var uri = await Registry.GetModelVersionDownloadUriAsync(name, 1, None);
        Assert.StartsWith("mlflow-artifacts:/", uri, StringComparison.Ordinal);
        var entries = await Registry.ListArtifactsAsync(uri["mlflow-artifacts:/".Length..], None);
        Assert.Equal(["MLmodel", "model.onnx"], entries.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Search_versions_by_model_name()
    {
        var name = Names.Unique("conf");
        await Registry.CreateRegisteredModelAsync(name, null, null, None);
        await CreateVersionAsync(name);
        await CreateVersionAsync(name);

        var page = await Registry.SearchModelVersionsAsync($"name='{name}'", null, 10_000, null, None);
        Assert.Equal([1L, 2L], page.Items.Select(v => v.Version).Order());
    }

    private static NewModelVersion NewVersion(string name, string source, IReadOnlyDictionary<string, string>? tags = null) =>
        new(name, source, "", "", "", "", tags ?? new Dictionary<string, string>());

    private async Task<ModelVersion> CreateVersionAsync(string name, IReadOnlyDictionary<string, string>? tags = null)
    {
        var prefix = $"runs-{Guid.NewGuid():N}/artifacts/model";
        await Registry.UploadArtifactAsync($"{prefix}/MLmodel", new MemoryStream(Encoding.UTF8.GetBytes("flavors: {}\n")), None);
        await Registry.UploadArtifactAsync($"{prefix}/model.onnx", new MemoryStream(Encoding.UTF8.GetBytes("onnx-bytes-" + name)), None);
        return await Registry.CreateModelVersionAsync(NewVersion(name, "mlflow-artifacts:/" + prefix, tags), None);
    }
}
