using Slipway.Core.Artifacts;
using Slipway.Storage.Metadata;

namespace Slipway.Storage;

/// <summary>Metadata and blobs of one embedded directory, opened by <see cref="StorageFactory.OpenEmbeddedAsync"/>.</summary>
/// <param name="Metadata">The SQLite metadata store (also the artifact index).</param>
/// <param name="Blobs">The file blob store.</param>
public sealed record EmbeddedStorage(SqlMetadataStore Metadata, IBlobStore Blobs) : IAsyncDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Metadata.DisposeAsync();
}
