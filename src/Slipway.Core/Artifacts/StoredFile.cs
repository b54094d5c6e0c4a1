namespace Slipway.Core.Artifacts;

/// <summary>A file by path whose bytes live in the blob store under their SHA-256.</summary>
/// <param name="Path">Relative path with forward slashes, e.g. <c>model/MLmodel</c>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
/// <param name="Size">Length in bytes.</param>
public sealed record StoredFile(string Path, string Sha256, long Size);

/// <summary>An entry of an artifact listing: a file or a directory directly under the listed path.</summary>
/// <param name="Path">Path relative to the listed root.</param>
/// <param name="IsDir">True for a directory.</param>
/// <param name="Size">Length in bytes of a file; null for a directory.</param>
public sealed record ArtifactEntry(string Path, bool IsDir, long? Size);

/// <summary>What the blob store reports after a write.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the stored bytes.</param>
/// <param name="Size">Length in bytes.</param>
public sealed record BlobInfo(string Sha256, long Size);
