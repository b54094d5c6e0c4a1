using Slipway.Core.Artifacts;
using Slipway.Storage.Blobs;
using Slipway.Testing;

namespace Slipway.Storage.Tests.Blobs;

/// <summary>The blob store conformance suite on the filesystem, plus its crash-safety rules.</summary>
public sealed class FileBlobStoreTests : BlobStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("slipway-blobs");
    private readonly FileBlobStore _store;

    public FileBlobStoreTests() => _store = new FileBlobStore(_directory.Combine("blobs"));

    protected override IBlobStore Store => _store;

    public void Dispose() => _directory.Dispose();

    protected override Task OverwriteStoredBytesAsync(string sha256, byte[] bytes) =>
        File.WriteAllBytesAsync(_directory.Combine("blobs", "sha256", sha256[..2], sha256), bytes);

    [Fact]
    public async Task Put_StoresUnderShardedHashPath_AndLeavesNoTemporaryFiles()
    {
        var bytes = RandomBytes(4096);

        var info = await Store.PutAsync(new MemoryStream(bytes), null, CancellationToken.None);
        await Assert.ThrowsAsync<Core.Registry.RegistryException>(() => Store.PutAsync(new MemoryStream(bytes), Sha256([1, 2]), CancellationToken.None));

        Assert.Equal(bytes, await File.ReadAllBytesAsync(_directory.Combine("blobs", "sha256", info.Sha256[..2], info.Sha256)));
        Assert.Empty(Directory.EnumerateFiles(_directory.Combine("blobs", "tmp")));
    }

    [Fact]
    public void Open_DeletesStaleTemporaryFiles_ButKeepsBlobs()
    {
        var root = _directory.Combine("crash");
        _ = new FileBlobStore(root);
        var stale = Path.Combine(root, "tmp", "leftover.tmp");
        File.WriteAllText(stale, "half a blob");
        var blobDir = Path.Combine(root, "sha256", "ab");
        Directory.CreateDirectory(blobDir);
        var blob = Path.Combine(blobDir, new string('a', 64));
        File.WriteAllText(blob, "kept");

        _ = new FileBlobStore(root);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(blob));
    }

    [Fact]
    public void Open_KeepsTemporaryFilesStillBeingWritten()
    {
        var root = _directory.Combine("live");
        _ = new FileBlobStore(root);
        var live = Path.Combine(root, "tmp", "writing.tmp");
        using var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None);

        _ = new FileBlobStore(root);

        Assert.True(File.Exists(live));
    }

    [Fact]
    public void Location_IsTheFullDirectory() => Assert.Equal(Path.GetFullPath(_directory.Combine("blobs")), Store.Location);
}
