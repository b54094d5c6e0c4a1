using System.Security.Cryptography;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;

namespace Slipway.Storage.Tests.Blobs;

/// <summary>What every blob store must do; each provider inherits this class.</summary>
public abstract class BlobStoreConformance
{
    /// <summary>A store over fresh or shared storage (tests use random content, so sharing is safe).</summary>
    protected abstract IBlobStore Store { get; }

    /// <summary>Replaces the stored bytes of a blob with <paramref name="bytes"/>, behind the store's back.</summary>
    protected abstract Task OverwriteStoredBytesAsync(string sha256, byte[] bytes);

    protected static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    protected static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    protected static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected async Task RoundTripAsync(int length)
    {
        var bytes = RandomBytes(length);

        var info = await Store.PutAsync(new MemoryStream(bytes), null, CancellationToken.None);

        Assert.Equal(Sha256(bytes), info.Sha256);
        Assert.Equal(length, info.Size);
        Assert.True(await Store.ExistsAsync(info.Sha256, CancellationToken.None));
        await using var stream = await Store.OpenReadAsync(info.Sha256, CancellationToken.None);
        Assert.Equal(bytes, await ReadAllAsync(stream));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1 << 20)]
    [InlineData((3 << 20) + 17)]
    public Task Put_ThenRead_RoundTripsBytes(int length) => RoundTripAsync(length);

    [Fact]
    public async Task Put_SameBytesTwice_ReturnsSameInfo()
    {
        var bytes = RandomBytes(1000);

        var first = await Store.PutAsync(new MemoryStream(bytes), null, CancellationToken.None);
        var second = await Store.PutAsync(new MemoryStream(bytes), Sha256(bytes), CancellationToken.None);

        Assert.Equal(first, second);
        await using var stream = await Store.OpenReadAsync(first.Sha256, CancellationToken.None);
        Assert.Equal(bytes, await ReadAllAsync(stream));
    }

    [Fact]
    public async Task Put_WithWrongExpectedHash_StoresNothing()
    {
        var bytes = RandomBytes(5000);
        var wrong = Sha256(RandomBytes(10));

        var e = await Assert.ThrowsAsync<RegistryException>(() => Store.PutAsync(new MemoryStream(bytes), wrong, CancellationToken.None));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(wrong, e.Message, StringComparison.Ordinal);
        Assert.False(await Store.ExistsAsync(Sha256(bytes), CancellationToken.None));
        Assert.False(await Store.ExistsAsync(wrong, CancellationToken.None));
    }

    [Fact]
    public async Task Read_Missing_ThrowsNotFound()
    {
        var missing = Sha256(RandomBytes(32));

        var e = await Assert.ThrowsAsync<RegistryException>(() => Store.OpenReadAsync(missing, CancellationToken.None));

        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, e.Code);
        Assert.False(await Store.ExistsAsync(missing, CancellationToken.None));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public async Task BadHash_ThrowsInvalid(string hash)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => Store.OpenReadAsync(hash, CancellationToken.None));
        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        await Assert.ThrowsAsync<RegistryException>(() => Store.PutAsync(new MemoryStream([1]), hash, CancellationToken.None));
    }

    [Fact]
    public async Task Read_CorruptedBytes_ThrowsDataLoss()
    {
        var bytes = RandomBytes(200_000);
        var info = await Store.PutAsync(new MemoryStream(bytes), null, CancellationToken.None);
        var corrupted = (byte[])bytes.Clone();
        corrupted[12345] ^= 0xFF;
        await OverwriteStoredBytesAsync(info.Sha256, corrupted);

        await using var stream = await Store.OpenReadAsync(info.Sha256, CancellationToken.None);
        var e = await Assert.ThrowsAsync<RegistryException>(() => ReadAllAsync(stream));

        Assert.Equal(RegistryErrorCode.DataLoss, e.Code);
        Assert.Contains(info.Sha256, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TruncatedBytes_ThrowsDataLoss()
    {
        var bytes = RandomBytes(10_000);
        var info = await Store.PutAsync(new MemoryStream(bytes), null, CancellationToken.None);
        await OverwriteStoredBytesAsync(info.Sha256, bytes[..9_000]);

        await using var stream = await Store.OpenReadAsync(info.Sha256, CancellationToken.None);
        var e = await Assert.ThrowsAsync<RegistryException>(() => ReadAllAsync(stream));

        Assert.Equal(RegistryErrorCode.DataLoss, e.Code);
    }
}
