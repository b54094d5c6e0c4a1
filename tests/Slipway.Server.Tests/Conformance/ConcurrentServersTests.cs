using Slipway.Core.Registry;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Conformance;

/// <summary>Two server processes' worth of Kestrel on one PostgreSQL database, written to at the same time through HTTP.</summary>
[Collection(PostgresS3Group.Name)]
public sealed class ConcurrentServersTests(PostgresS3Fixture fixture)
{
    [Fact]
    public async Task Concurrent_versions_tags_and_aliases_through_two_servers_lose_and_duplicate_nothing()
    {
        const int perServer = 12;
        var database = await fixture.Postgres.CreateDatabaseAsync();
        var artifacts = fixture.ArtifactsUri(Guid.NewGuid().ToString("N"));
        await using var first = await RunningServer.StartAsync(database, artifacts);
        await using var second = await RunningServer.StartAsync(database, artifacts);
        using var a = first.Client("a");
        using var b = second.Client("b");
        var name = Names.Unique("race");
        await a.CreateRegisteredModelAsync(name, null, null, CancellationToken.None);

        async Task<long> RegisterAsync(IModelRegistry registry, string who, int i)
        {
            var prefix = $"{who}-{i}-{Guid.NewGuid():N}/model";
            await registry.UploadArtifactAsync(prefix + "/MLmodel", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(prefix)), CancellationToken.None);
            var version = await registry.CreateModelVersionAsync(
                new NewModelVersion(name, "mlflow-artifacts:/" + prefix, "", "", "", "", new Dictionary<string, string> { ["writer"] = who }),
                CancellationToken.None);
            await registry.SetModelVersionTagAsync(name, version.Version, "seen", $"{who}-{i}", CancellationToken.None);
            await registry.SetRegisteredModelTagAsync(name, $"{who}-{i}", "1", CancellationToken.None);
            await registry.SetAliasAsync(name, "champion", version.Version, $"{who}-{i}", CancellationToken.None);
            return version.Version;
        }

        var tasks = Enumerable.Range(0, perServer)
            .SelectMany(i => new[] { Task.Run(() => RegisterAsync(a, "a", i)), Task.Run(() => RegisterAsync(b, "b", i)) })
            .ToArray();
        var versions = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(1, 2 * perServer).Select(v => (long)v), versions.Order());
        var all = await a.SearchModelVersionsAsync($"name='{name}'", null, 10_000, null, CancellationToken.None);
        Assert.Equal(2 * perServer, all.Items.Count);
        Assert.All(all.Items, v => Assert.True(v.Tags.ContainsKey("seen") && v.Status == ModelVersionStatus.Ready));
        var model = await b.GetRegisteredModelAsync(name, CancellationToken.None);
        Assert.Equal(2 * perServer, model.Tags.Count);
        var history = await b.GetAliasHistoryAsync(name, "champion", CancellationToken.None);
        Assert.Equal(2 * perServer, history.Count);
        var expectedReasons = Enumerable.Range(0, perServer).SelectMany(i => new[] { $"a-{i}", $"b-{i}" }).Order(StringComparer.Ordinal);
        Assert.Equal(expectedReasons, history.Select(h => h.Reason).Order(StringComparer.Ordinal));
        Assert.Equal(history[^1].ToVersion, (await a.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None)).Version);
    }

    [Fact]
    public async Task Concurrent_alias_moves_form_a_chain_in_the_history()
    {
        var database = await fixture.Postgres.CreateDatabaseAsync();
        var artifacts = fixture.ArtifactsUri(Guid.NewGuid().ToString("N"));
        await using var first = await RunningServer.StartAsync(database, artifacts);
        await using var second = await RunningServer.StartAsync(database, artifacts);
        using var a = first.Client("a");
        using var b = second.Client("b");
        var name = Names.Unique("chain");
        await a.CreateRegisteredModelAsync(name, null, null, CancellationToken.None);
        var prefix = Guid.NewGuid().ToString("N") + "/model";
        await a.UploadArtifactAsync(prefix + "/MLmodel", new MemoryStream([1]), CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            await a.CreateModelVersionAsync(new NewModelVersion(name, "mlflow-artifacts:/" + prefix, "", "", "", "", new Dictionary<string, string>()), CancellationToken.None);
        }

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).SetAliasAsync(name, "champion", 1 + (i % 4), null, CancellationToken.None))));

        // Each move starts where the previous one ended: the history is a chain without lost updates.
        var history = await b.GetAliasHistoryAsync(name, "champion", CancellationToken.None);
        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1].ToVersion, history[i].FromVersion);
        }
    }
}
