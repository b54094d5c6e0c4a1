using Slipway.Testing;

namespace Slipway.Deploy.Tests.Webhooks;

/// <summary>The webhook store conformance suite on a SQLite file per test.</summary>
public sealed class SqliteWebhookStoreTests : WebhookStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("slipway-hooks");

    protected override Task<string> CreateStoreUriAsync() => Task.FromResult("sqlite:" + _directory.Combine("meta.db"));

    public void Dispose() => _directory.Dispose();
}
