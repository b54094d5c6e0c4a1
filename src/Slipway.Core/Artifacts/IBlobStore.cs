namespace Slipway.Core.Artifacts;

/// <summary>
/// Content-addressed storage of bytes by SHA-256. Writes are atomic (a reader sees all of a blob or none) and
/// durable before they return; reads verify the hash and fail loudly on mismatch.
/// </summary>
public interface IBlobStore
{
    /// <summary>A readable description of where blobs live (a directory or <c>s3://bucket/prefix</c>).</summary>
    string Location { get; }

    /// <summary>
    /// Stores the stream's bytes under their SHA-256 and returns the hash and size. Storing bytes that are already
    /// present is cheap and returns the same <see cref="BlobInfo"/>. When <paramref name="expectedSha256"/> is given
    /// and differs from the computed hash, nothing is stored and a <see cref="Registry.RegistryException"/> with
    /// <see cref="Registry.RegistryErrorCode.InvalidParameterValue"/> is thrown.
    /// </summary>
    Task<BlobInfo> PutAsync(Stream content, string? expectedSha256, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a blob for reading. The stream verifies the SHA-256 as it is read and throws
    /// <see cref="Registry.RegistryException"/> with <see cref="Registry.RegistryErrorCode.DataLoss"/> at the end
    /// when it does not match. Throws <see cref="Registry.RegistryErrorCode.ResourceDoesNotExist"/> when absent.
    /// </summary>
    Task<Stream> OpenReadAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>True when a blob with this hash is stored.</summary>
    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken);
}
