using Slipway.Testing;

namespace Slipway.Storage.Tests.Metadata;

/// <summary>The metadata store conformance suite on a SQLite file per test.</summary>
public sealed class SqliteMetadataStoreTests : MetadataStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("slipway-sqlite");

    protected override Task<string> CreateStoreUriAsync() => Task.FromResult("sqlite:" + _directory.Combine("nested", "meta.db"));

    public void Dispose() => _directory.Dispose();
}
