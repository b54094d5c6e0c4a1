using Slipway.Testing;

namespace Slipway.Storage.Tests.Deployment;

/// <summary>The deployment store conformance suite on a SQLite file per test.</summary>
public sealed class SqliteDeploymentStoreTests : DeploymentStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("slipway-deploy");

    protected override Task<string> CreateStoreUriAsync() => Task.FromResult("sqlite:" + _directory.Combine("meta.db"));

    public void Dispose() => _directory.Dispose();
}
