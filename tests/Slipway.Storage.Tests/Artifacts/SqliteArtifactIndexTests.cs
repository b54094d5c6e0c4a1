using Slipway.Testing;

namespace Slipway.Storage.Tests.Artifacts;

/// <summary>The artifact index conformance suite on SQLite.</summary>
public sealed class SqliteArtifactIndexTests : ArtifactIndexConformance, IDisposable
{
    private readonly TempDirectory _directory = new("slipway-index");

    protected override Task<string> CreateStoreUriAsync() => Task.FromResult("sqlite:" + _directory.Combine("index.db"));

    public void Dispose() => _directory.Dispose();
}
