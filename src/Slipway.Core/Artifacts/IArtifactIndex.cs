namespace Slipway.Core.Artifacts;

/// <summary>
/// The path namespace of the artifact proxy (<c>mlflow-artifacts:/...</c>): which blob each path holds.
/// Paths are relative, use forward slashes, and never contain <c>..</c> segments (callers validate with
/// <see cref="ArtifactPath.Normalize"/>).
/// </summary>
public interface IArtifactIndex
{
    /// <summary>Records (or replaces) the blob a path holds. The blob must already be stored.</summary>
    Task PutFileAsync(StoredFile file, long timestamp, CancellationToken cancellationToken);

    /// <summary>The file at exactly this path, or null.</summary>
    Task<StoredFile?> GetFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>Every file at or under <paramref name="prefix"/> (a directory path; empty for all), with full paths.</summary>
    Task<IReadOnlyList<StoredFile>> ListFilesAsync(string prefix, CancellationToken cancellationToken);
}
