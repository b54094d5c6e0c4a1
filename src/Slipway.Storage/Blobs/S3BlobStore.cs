using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;

namespace Slipway.Storage.Blobs;

/// <summary>
/// Blobs as S3 objects at <c>PREFIX/sha256/ab/abcdef...</c>. A write spools to a local temporary file while
/// hashing (the key is the hash, known only at the end), then uploads it in one request or, above
/// <see cref="MultipartThreshold"/>, in <see cref="PartSize"/> parts; a multipart upload is completed only after
/// every part succeeded and aborted otherwise, so no partial object ever exists under a blob key.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>Size of one multipart upload part: 16 MiB.</summary>
    public const long PartSize = 16L << 20;

    /// <summary>Blobs larger than this (16 MiB) are uploaded in parts.</summary>
    public const long MultipartThreshold = PartSize;

    private static readonly string[] EndpointVariables = ["SLIPWAY_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"];

    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly bool _ownsClient;

    /// <summary>Creates the store over an S3 client.</summary>
    /// <param name="bucket">The bucket; must exist.</param>
    /// <param name="prefix">Key prefix without leading or trailing slash; empty for the bucket root.</param>
    /// <param name="client">The client; configure it with <c>ForcePathStyle</c> for S3-compatible servers.</param>
    /// <param name="ownsClient">Dispose the client with the store.</param>
    public S3BlobStore(string bucket, string prefix, IAmazonS3 client, bool ownsClient = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentNullException.ThrowIfNull(client);
        _bucket = bucket;
        _prefix = (prefix ?? string.Empty).Trim('/');
        _client = client;
        _ownsClient = ownsClient;
    }

    /// <inheritdoc />
    public string Location => _prefix.Length == 0 ? $"s3://{_bucket}" : $"s3://{_bucket}/{_prefix}";

    /// <summary>
    /// Creates a store whose client is configured from the environment: endpoint from <c>SLIPWAY_S3_ENDPOINT</c>,
    /// else <c>AWS_ENDPOINT_URL_S3</c>, else <c>AWS_ENDPOINT_URL</c> (else AWS itself); credentials from
    /// <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c> (else the SDK's default chain); region from
    /// <c>AWS_REGION</c> (default <c>us-east-1</c>). Path-style addressing is always used.
    /// </summary>
    public static S3BlobStore FromEnvironment(string bucket, string prefix) =>
        new(bucket, prefix, CreateClientFromEnvironment(), ownsClient: true);

    /// <summary>The S3 client <see cref="FromEnvironment"/> uses, configured from the environment variables it names.</summary>
    public static AmazonS3Client CreateClientFromEnvironment() =>
        CreateClient(
            EndpointVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v)),
            Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"),
            Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"),
            Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN"),
            Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region ? region : "us-east-1");

    /// <summary>
    /// An S3 client with path-style addressing, for AWS (no <paramref name="endpoint"/>) or an S3-compatible server.
    /// Without an access key and secret, the SDK's default credential chain is used.
    /// </summary>
    /// <param name="endpoint">Service URL such as <c>http://127.0.0.1:9000</c>, or null for AWS.</param>
    /// <param name="accessKey">Access key id, or null.</param>
    /// <param name="secretKey">Secret access key, or null.</param>
    /// <param name="sessionToken">Session token of temporary credentials, or null.</param>
    /// <param name="region">Signing region, e.g. <c>us-east-1</c>.</param>
    public static AmazonS3Client CreateClient(string? endpoint, string? accessKey, string? secretKey, string? sessionToken, string region)
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        var config = new AmazonS3Config
        {
            ForcePathStyle = true,

            // Only send checksums S3 requires: S3-compatible servers differ in which trailing checksums they accept.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(endpoint))
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        if (!string.IsNullOrEmpty(accessKey) && !string.IsNullOrEmpty(secretKey))
        {
            AWSCredentials credentials = string.IsNullOrEmpty(sessionToken)
                ? new BasicAWSCredentials(accessKey, secretKey)
                : new SessionAWSCredentials(accessKey, secretKey, sessionToken);
            return new AmazonS3Client(credentials, config);
        }

        return new AmazonS3Client(config);
    }

    /// <inheritdoc />
    public async Task<BlobInfo> PutAsync(Stream content, string? expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var expected = expectedSha256 is null ? null : BlobHash.Require(expectedSha256);
        var spool = Path.Combine(Path.GetTempPath(), $"slipway-s3-{Guid.NewGuid():N}.tmp");
        try
        {
            string sha256;
            long size;
            await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                (sha256, size) = await FileBlobStore.CopyHashingAsync(content, file, cancellationToken).ConfigureAwait(false);
            }

            if (expected is not null && expected != sha256)
            {
                throw RegistryException.Invalid($"Content SHA-256 mismatch: expected {expected}, got {sha256}.");
            }

            if (!await ExistsAsync(sha256, cancellationToken).ConfigureAwait(false))
            {
                if (size > MultipartThreshold)
                {
                    await UploadMultipartAsync(spool, size, Key(sha256), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _client.PutObjectAsync(
                        new PutObjectRequest { BucketName = _bucket, Key = Key(sha256), FilePath = spool, UseChunkEncoding = false },
                        cancellationToken).ConfigureAwait(false);
                }
            }

            return new BlobInfo(sha256, size);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var hash = BlobHash.Require(sha256);
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = Key(hash) }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new RegistryException(RegistryErrorCode.ResourceDoesNotExist, $"Blob sha256:{hash} not found in {Location}.", e);
        }

        return new VerifyingReadStream(response.ResponseStream, hash, response.ContentLength, response);
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken)
    {
        var hash = BlobHash.Require(sha256);
        try
        {
            await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = Key(hash) }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private string Key(string sha256) =>
        _prefix.Length == 0 ? BlobHash.RelativePath(sha256) : $"{_prefix}/{BlobHash.RelativePath(sha256)}";

    private async Task UploadMultipartAsync(string file, long size, string key, CancellationToken cancellationToken)
    {
        // TransferUtility cannot turn chunk encoding off, which some S3-compatible servers store verbatim;
        // hence the parts are uploaded here.
        var upload = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            var number = 1;
            for (long position = 0; position < size; position += PartSize, number++)
            {
                var part = await _client.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = _bucket,
                        Key = key,
                        UploadId = upload.UploadId,
                        PartNumber = number,
                        FilePath = file,
                        FilePosition = position,
                        PartSize = Math.Min(PartSize, size - position),
                        UseChunkEncoding = false,
                    },
                    cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, part.ETag));
            }

            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = parts },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId },
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
