using Slipway.Core.Registry;
using Slipway.Storage.Blobs;
using Slipway.Testing;

namespace Slipway.Storage.Tests;

public sealed class StorageFactoryTests : IDisposable
{
    private readonly TempDirectory _directory = new("slipway-factory");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task OpenEmbedded_CreatesDatabaseAndArtifactsInDirectory()
    {
        var root = _directory.Combine("home");

        await using (var storage = await StorageFactory.OpenEmbeddedAsync(root, TimeProvider.System, CancellationToken.None))
        {
            await storage.Metadata.CreateRegisteredModelAsync("iris", "", new Dictionary<string, string>(), 1, CancellationToken.None);
            var blob = await storage.Blobs.PutAsync(new MemoryStream([1, 2, 3]), null, CancellationToken.None);
            Assert.True(File.Exists(Path.Combine(root, "artifacts", "sha256", blob.Sha256[..2], blob.Sha256)));
        }

        Assert.True(File.Exists(Path.Combine(root, "slipway.db")));
        await using var reopened = await StorageFactory.OpenEmbeddedAsync(root, TimeProvider.System, CancellationToken.None);
        Assert.NotNull(await reopened.Metadata.GetRegisteredModelAsync("iris", CancellationToken.None));
    }

    [Fact]
    public async Task OpenMetadataStore_SqliteSpellings_OpenTheSameFile()
    {
        var path = _directory.Combine("m.db");
        await using (var store = await StorageFactory.OpenMetadataStoreAsync("sqlite:" + path, TimeProvider.System, CancellationToken.None))
        {
            await store.CreateRegisteredModelAsync("m", "", new Dictionary<string, string>(), 1, CancellationToken.None);
            Assert.Equal("sqlite:" + path, store.Description);
        }

        await using var again = await StorageFactory.OpenMetadataStoreAsync("sqlite:///" + path, TimeProvider.System, CancellationToken.None);
        Assert.NotNull(await again.GetRegisteredModelAsync("m", CancellationToken.None));
    }

    [Theory]
    [InlineData("mysql://u:p@h/db")]
    [InlineData("/just/a/path.db")]
    [InlineData("sqlite:")]
    public async Task OpenMetadataStore_UnknownScheme_ThrowsInvalidNamingStoreOption(string uri)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => StorageFactory.OpenMetadataStoreAsync(uri, TimeProvider.System, CancellationToken.None));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("--store", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":p@", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenBlobStore_PathAndFileUri_GiveFileStores()
    {
        var path = _directory.Combine("blobs");

        Assert.IsType<FileBlobStore>(StorageFactory.OpenBlobStore(path));
        Assert.Equal(path, StorageFactory.OpenBlobStore(new Uri(path).AbsoluteUri).Location);
    }

    [Fact]
    public void OpenBlobStore_S3Uri_GivesS3StoreWithBucketAndPrefix()
    {
        var store = StorageFactory.OpenBlobStore("s3://my-bucket/some/prefix/");

        var s3 = Assert.IsType<S3BlobStore>(store);
        Assert.Equal("s3://my-bucket/some/prefix", s3.Location);
        s3.Dispose();
    }

    [Theory]
    [InlineData("gs://bucket/prefix")]
    [InlineData("s3:///prefix")]
    public void OpenBlobStore_UnknownScheme_ThrowsInvalidNamingArtifactsOption(string uri)
    {
        var e = Assert.Throws<RegistryException>(() => StorageFactory.OpenBlobStore(uri));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("--artifacts", e.Message, StringComparison.Ordinal);
    }
}
