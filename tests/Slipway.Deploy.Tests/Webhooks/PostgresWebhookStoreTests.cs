using Slipway.Testing;

namespace Slipway.Deploy.Tests.Webhooks;

/// <summary>The webhook store conformance suite on a fresh PostgreSQL database per test.</summary>
public sealed class PostgresWebhookStoreTests(PostgresServer server) : WebhookStoreConformance, IClassFixture<PostgresServer>
{
    protected override Task<string> CreateStoreUriAsync() => server.CreateDatabaseAsync();
}
