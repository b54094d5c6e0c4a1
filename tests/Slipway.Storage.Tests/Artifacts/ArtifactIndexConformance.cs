using Slipway.Core.Artifacts;
using Slipway.Storage.Metadata;

namespace Slipway.Storage.Tests.Artifacts;

/// <summary>What every artifact index must do; each provider inherits this class.</summary>
public abstract class ArtifactIndexConformance : IAsyncLifetime
{
    private SqlMetadataStore _store = null!;

    protected IArtifactIndex Index => _store;

    /// <summary>A URI of a fresh, empty database.</summary>
    protected abstract Task<string> CreateStoreUriAsync();

    public async Task InitializeAsync() =>
        _store = await StorageFactory.OpenMetadataStoreAsync(await CreateStoreUriAsync(), TimeProvider.System, CancellationToken.None);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static StoredFile File(string path, char fill = 'a', long size = 10) => new(path, new string(fill, 64), size);

    [Fact]
    public async Task PutThenGet_RoundTrips_AndReplaces()
    {
        await Index.PutFileAsync(File("run1/model/MLmodel"), 1000, CancellationToken.None);
        Assert.Equal(File("run1/model/MLmodel"), await Index.GetFileAsync("run1/model/MLmodel", CancellationToken.None));

        await Index.PutFileAsync(File("run1/model/MLmodel", 'b', 20), 2000, CancellationToken.None);

        Assert.Equal(File("run1/model/MLmodel", 'b', 20), await Index.GetFileAsync("run1/model/MLmodel", CancellationToken.None));
        Assert.Null(await Index.GetFileAsync("run1/model", CancellationToken.None));
        Assert.Null(await Index.GetFileAsync("run1/model/mlmodel", CancellationToken.None));
    }

    [Fact]
    public async Task List_ReturnsFilesAtOrUnderPrefix_SortedByPath()
    {
        string[] paths = ["a/b/c.txt", "a/b/a.txt", "a/b", "a/bc/x.txt", "a/b%/y.txt", "a/b_/z.txt", "a/b-/w.txt", "b/a.txt", "a/b/deep/er.txt"];
        foreach (var path in paths)
        {
            await Index.PutFileAsync(File(path), 1, CancellationToken.None);
        }

        var under = await Index.ListFilesAsync("a/b", CancellationToken.None);
        var withSlash = await Index.ListFilesAsync("a/b/", CancellationToken.None);
        var all = await Index.ListFilesAsync(string.Empty, CancellationToken.None);

        Assert.Equal(["a/b", "a/b/a.txt", "a/b/c.txt", "a/b/deep/er.txt"], under.Select(f => f.Path));
        Assert.Equal(under, withSlash);
        Assert.Equal(paths.Order(StringComparer.Ordinal), all.Select(f => f.Path));
        Assert.Equal(["a/b%/y.txt"], (await Index.ListFilesAsync("a/b%", CancellationToken.None)).Select(f => f.Path));
        Assert.Empty(await Index.ListFilesAsync("nothing/here", CancellationToken.None));
    }
}
