using Amazon.S3;
using Amazon.S3.Model;
using Slipway.Core.Artifacts;
using Slipway.Storage.Blobs;
using Slipway.Testing;

namespace Slipway.Storage.Tests.Blobs;

/// <summary>The blob store conformance suite on a real s3rver, plus multipart uploads.</summary>
public sealed class S3BlobStoreTests : BlobStoreConformance, IClassFixture<S3rverServer>, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly S3BlobStore _store;
    private readonly string _prefix = "p-" + Guid.NewGuid().ToString("N")[..8] + "/blobs";
    private readonly S3rverServer _server;

    public S3BlobStoreTests(S3rverServer server)
    {
        _server = server;
        _client = S3BlobStore.CreateClient(server.Endpoint, S3rverServer.Credential, S3rverServer.Credential, null, "us-east-1");
        _store = new S3BlobStore(server.Bucket, _prefix, _client);
    }

    protected override IBlobStore Store => _store;

    public void Dispose() => _client.Dispose();

    protected override Task OverwriteStoredBytesAsync(string sha256, byte[] bytes) =>
        _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _server.Bucket,
            Key = $"{_prefix}/sha256/{sha256[..2]}/{sha256}",
            InputStream = new MemoryStream(bytes),
            UseChunkEncoding = false,
        });

    [Fact]
    public Task Put_LargeBlob_UsesMultipartAndRoundTrips() => RoundTripAsync((40 << 20) + 12345);

    [Fact]
    public async Task Put_StoresUnderPrefixedHashKey()
    {
        var bytes = RandomBytes(100);

        var info = await Store.PutAsync(new MemoryStream(bytes), null, CancellationToken.None);

        using var response = await _client.GetObjectAsync(_server.Bucket, $"{_prefix}/sha256/{info.Sha256[..2]}/{info.Sha256}");
        Assert.Equal(bytes, await ReadAllAsync(response.ResponseStream));
        Assert.Equal($"s3://{_server.Bucket}/{_prefix}", Store.Location);
    }
}
