using System.Text.Json;
using Slipway.Core.Artifacts;
using Slipway.Core.Deployment;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Registry;
using Slipway.Storage;
using Slipway.Storage.Metadata;

namespace Slipway.Deploy.Tests.Webhooks;

/// <summary>
/// What the metadata store must do for webhooks, on every provider: registry changes append MLflow's events in their
/// own transactions, fan-out turns them into one delivery per subscribed active webhook exactly once, leases keep two
/// dispatchers off one delivery, and attempts are logged.
/// </summary>
public abstract class WebhookStoreConformance : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();
    private int _deliveryIds;

    protected SqlMetadataStore Store { get; private set; } = null!;

    protected abstract Task<string> CreateStoreUriAsync();

    public async Task InitializeAsync() =>
        Store = await StorageFactory.OpenMetadataStoreAsync(await CreateStoreUriAsync(), TimeProvider.System, CancellationToken.None);

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private static StoredFile File(string path) => new(path, new string('a', 64), 3);

    private Task<Webhook> CreateWebhookAsync(IReadOnlyList<WebhookEvent>? events = null, WebhookStatus status = WebhookStatus.Active, long created = 0, string? secret = "s3cret") =>
        Store.CreateWebhookAsync(
            new Webhook(Guid.NewGuid().ToString("N"), Unique("hook"), "about", "http://127.0.0.1:9/hook", events ?? WebhookEvent.All, status, secret, created, created),
            CancellationToken.None);

    private async Task FanOutAllAsync(long now = 10_000_000)
    {
        while (await Store.FanOutAsync(100, now, () => "delivery-" + Interlocked.Increment(ref _deliveryIds) + "-" + Guid.NewGuid().ToString("N")[..6], CancellationToken.None) > 0)
        {
        }
    }

    private async Task<List<WebhookDelivery>> DeliveriesAsync(Webhook webhook)
    {
        var deliveries = await Store.ListDeliveriesAsync(webhook.Id, 1000, CancellationToken.None);
        return [.. deliveries.Reverse()];
    }

    private static void AssertJson(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(e.RootElement, a.RootElement), $"expected {expected}\n  actual {actual}");
    }

    [Fact]
    public async Task Every_registry_change_appends_MLflows_event_with_its_payload()
    {
        var webhook = await CreateWebhookAsync();
        var name = Unique("model");
        await Store.CreateRegisteredModelAsync(name, "credit scoring", new Dictionary<string, string> { ["team"] = "risk" }, 1000, CancellationToken.None);
        await Store.CreateModelVersionAsync(new NewModelVersion(name, "mlflow-artifacts:/1/m", "run1", "", "first", "bob", new Dictionary<string, string> { ["k"] = "v" }), [File("MLmodel")], 2000, CancellationToken.None);
        var pending = await Store.CreateModelVersionAsync(new NewModelVersion(name, "/local/m", "", "", "", "bob", NoTags), null, 3000, CancellationToken.None);
        var failing = await Store.CreateModelVersionAsync(new NewModelVersion(name, "/local/x", "", "", "", "bob", NoTags), null, 3100, CancellationToken.None);
        await Store.CompleteModelVersionAsync(name, pending.Version, ModelVersionStatus.Ready, string.Empty, [File("MLmodel")], 3200, CancellationToken.None);
        await Store.CompleteModelVersionAsync(name, failing.Version, ModelVersionStatus.FailedRegistration, "disk full", [], 3300, CancellationToken.None);
        await Store.SetModelVersionTagAsync(name, 1, "stage", "qa", 4000, CancellationToken.None);
        await Store.DeleteModelVersionTagAsync(name, 1, "stage", CancellationToken.None);
        await Store.SetAliasAsync(name, "champion", 1, new AliasChange("alice", "first", 5000), CancellationToken.None);
        await Store.DeleteAliasAsync(name, "champion", new AliasChange("alice", "gone", 6000), CancellationToken.None);

        // A failed tag delete changes nothing and appends nothing.
        await Assert.ThrowsAsync<RegistryException>(() => Store.DeleteModelVersionTagAsync(name, 1, "missing", CancellationToken.None));

        await FanOutAllAsync();
        var deliveries = await DeliveriesAsync(webhook);

        Assert.Equal(
            ["registered_model.created", "model_version.created", "model_version.created", "model_version_tag.set", "model_version_tag.deleted", "model_version_alias.created", "model_version_alias.deleted"],
            deliveries.Select(d => d.EventType));
        AssertJson($$"""{"name":"{{name}}","tags":{"team":"risk"},"description":"credit scoring"}""", deliveries[0].Payload);
        AssertJson($$"""{"name":"{{name}}","version":"1","source":"mlflow-artifacts:/1/m","run_id":"run1","tags":{"k":"v"},"description":"first"}""", deliveries[1].Payload);
        AssertJson($$"""{"name":"{{name}}","version":"2","source":"/local/m","run_id":null,"tags":{},"description":null}""", deliveries[2].Payload);
        AssertJson($$"""{"name":"{{name}}","version":"1","key":"stage","value":"qa"}""", deliveries[3].Payload);
        AssertJson($$"""{"name":"{{name}}","version":"1","key":"stage"}""", deliveries[4].Payload);
        AssertJson($$"""{"name":"{{name}}","alias":"champion","version":"1"}""", deliveries[5].Payload);
        AssertJson($$"""{"name":"{{name}}","alias":"champion"}""", deliveries[6].Payload);
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryState.Pending, d.State));
        Assert.Equal(deliveries.Count, deliveries.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_promotion_fires_the_alias_event_and_its_own_in_one_transaction()
    {
        var webhook = await CreateWebhookAsync();
        var name = Unique("model");
        await Store.CreateRegisteredModelAsync(name, "", NoTags, 1000, CancellationToken.None);
        await Store.CreateModelVersionAsync(new NewModelVersion(name, "s", "", "", "", "", NoTags), [File("MLmodel")], 2000, CancellationToken.None);
        var record = new PromotionRecord(0, name, "production", PromotionKind.Promote, null, 1, null, PromotionOutcome.Passed, [], [], "alice", "ship it", 3000);
        await Store.RecordPromotionAsync(record, new PromotionEffects(MoveAlias: true), CancellationToken.None);

        await FanOutAllAsync();
        var deliveries = await DeliveriesAsync(webhook);

        Assert.Equal(["registered_model.created", "model_version.created", "model_version_alias.created", "promotion.passed"], deliveries.Select(d => d.EventType));
        AssertJson($$"""{"name":"{{name}}","alias":"production","version":"1"}""", deliveries[2].Payload);
        using var promotion = JsonDocument.Parse(deliveries[3].Payload);
        Assert.Equal("1", promotion.RootElement.GetProperty("to_version").GetString());
    }

    [Fact]
    public async Task Fan_out_goes_to_subscribed_active_webhooks_once_and_only_for_later_events()
    {
        var name = Unique("model");
        await Store.CreateRegisteredModelAsync(name, "", NoTags, 500, CancellationToken.None);
        var versions = await CreateWebhookAsync([WebhookEvent.Parse("model_version.created")], created: 1000);
        var disabled = await CreateWebhookAsync(status: WebhookStatus.Disabled, created: 1000);
        var everything = await CreateWebhookAsync(created: 1000);
        await Store.CreateModelVersionAsync(new NewModelVersion(name, "s", "", "", "", "", NoTags), [File("MLmodel")], 2000, CancellationToken.None);
        await Store.SetModelVersionTagAsync(name, 1, "k", "v", 3000, CancellationToken.None);

        await FanOutAllAsync();
        await FanOutAllAsync();

        Assert.Equal(["model_version.created"], (await DeliveriesAsync(versions)).Select(d => d.EventType));
        Assert.Empty(await DeliveriesAsync(disabled));

        // The model was created before the webhook: that event is not replayed to it.
        Assert.Equal(["model_version.created", "model_version_tag.set"], (await DeliveriesAsync(everything)).Select(d => d.EventType));
        Assert.Equal(0, await Store.FanOutAsync(100, 10_000_000, () => Guid.NewGuid().ToString(), CancellationToken.None));
    }

    [Fact]
    public async Task A_lease_keeps_a_second_dispatcher_off_until_it_expires_and_the_delivery_id_survives()
    {
        var webhook = await CreateWebhookAsync();
        await Store.PublishAsync(DeploymentEvents.DriftAlert, """{"name":"m"}""", 1000, CancellationToken.None);
        await FanOutAllAsync(now: 2000);

        var first = Assert.Single(await Store.ClaimDueAsync("a", 2000, 32_000, 10, CancellationToken.None));
        Assert.Equal(webhook.Id, first.Delivery.WebhookId);
        Assert.Equal(webhook.Url, first.Url);
        Assert.Equal("s3cret", first.Secret);
        Assert.Equal(DeploymentEvents.DriftAlert, first.Delivery.EventType);
        Assert.Empty(await Store.ClaimDueAsync("b", 31_000, 61_000, 10, CancellationToken.None));

        // "a" died without recording; once its lease ran out "b" claims the same delivery, same id.
        var again = Assert.Single(await Store.ClaimDueAsync("b", 32_000, 62_000, 10, CancellationToken.None));
        Assert.Equal(first.Delivery.Id, again.Delivery.Id);
        Assert.Equal(0, again.Delivery.Attempts);

        var late = new WebhookAttempt(first.Delivery.Id, 1, 2000, 5, 200, null, null);
        Assert.False(await Store.RecordAttemptAsync("a", late, WebhookDeliveryState.Delivered, CancellationToken.None));
        var retry = new WebhookAttempt(first.Delivery.Id, 1, 32_000, 7, 503, "HTTP 503", 40_000);
        Assert.True(await Store.RecordAttemptAsync("b", retry, WebhookDeliveryState.Pending, CancellationToken.None));

        Assert.Empty(await Store.ClaimDueAsync("c", 39_999, 70_000, 10, CancellationToken.None));
        var due = Assert.Single(await Store.ClaimDueAsync("c", 40_000, 70_000, 10, CancellationToken.None));
        Assert.Equal(1, due.Delivery.Attempts);
        Assert.Equal(503, due.Delivery.LastStatusCode);
        Assert.True(await Store.RecordAttemptAsync("c", new WebhookAttempt(due.Delivery.Id, 2, 40_000, 3, 200, null, null), WebhookDeliveryState.Delivered, CancellationToken.None));

        Assert.Empty(await Store.ClaimDueAsync("d", 1_000_000, 1_030_000, 10, CancellationToken.None));
        var delivery = Assert.Single(await Store.ListDeliveriesAsync(webhook.Id, 10, CancellationToken.None));
        Assert.Equal(WebhookDeliveryState.Delivered, delivery.State);
        Assert.Equal(2, delivery.Attempts);
        var attempts = await Store.ListAttemptsAsync(delivery.Id, CancellationToken.None);
        Assert.Equal([503, 200], attempts.Select(a => a.StatusCode ?? 0));
        Assert.Equal([40_000L, 0L], attempts.Select(a => a.NextAttemptAt ?? 0));
    }

    [Fact]
    public async Task Disabled_webhooks_keep_their_pending_deliveries_unclaimed()
    {
        var webhook = await CreateWebhookAsync();
        await Store.PublishAsync(DeploymentEvents.PromotionFailed, "{}", 1000, CancellationToken.None);
        await FanOutAllAsync(now: 2000);
        await Store.UpdateWebhookAsync(webhook.Id, new WebhookUpdate(Status: WebhookStatus.Disabled), 2500, CancellationToken.None);

        Assert.Empty(await Store.ClaimDueAsync("a", 3000, 33_000, 10, CancellationToken.None));

        await Store.UpdateWebhookAsync(webhook.Id, new WebhookUpdate(Status: WebhookStatus.Active), 3500, CancellationToken.None);
        Assert.Single(await Store.ClaimDueAsync("a", 4000, 34_000, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Webhooks_round_trip_update_page_and_delete_with_their_deliveries()
    {
        var created = await CreateWebhookAsync([WebhookEvent.Parse("model_version_tag.set"), WebhookEvent.Parse("canary.rolled_back")], created: 7);
        var fetched = await Store.GetWebhookAsync(created.Id, CancellationToken.None);
        Assert.NotNull(fetched);
        Assert.Equal(created.Name, fetched.Name);
        Assert.Equal("about", fetched.Description);
        Assert.Equal(["model_version_tag.set", "canary.rolled_back"], fetched.Events.Select(e => e.ToString()));
        Assert.Equal("s3cret", fetched.Secret);

        var updated = await Store.UpdateWebhookAsync(created.Id, new WebhookUpdate(Url: "https://example.com/x", Events: [WebhookEvent.Parse("drift.alert")]), 99, CancellationToken.None);
        Assert.NotNull(updated);
        Assert.Equal("https://example.com/x", updated.Url);
        Assert.Equal(created.Name, updated.Name);
        Assert.Equal("s3cret", updated.Secret);
        Assert.Equal(99, updated.LastUpdatedTimestamp);
        Assert.Equal(7, updated.CreationTimestamp);
        Assert.Equal("https://example.com/x", (await Store.GetWebhookAsync(created.Id, CancellationToken.None))?.Url);
        Assert.Null(await Store.UpdateWebhookAsync("missing", new WebhookUpdate(Name: "x"), 1, CancellationToken.None));

        var others = new List<Webhook>();
        for (var i = 0; i < 4; i++)
        {
            others.Add(await CreateWebhookAsync(created: 100 + i));
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await Store.ListWebhooksAsync(2, token, CancellationToken.None);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(w => w.Id));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Contains(created.Id, seen);
        Assert.All(others, o => Assert.Contains(o.Id, seen));

        await Store.PublishAsync(DeploymentEvents.DriftAlert, "{}", 1000, CancellationToken.None);
        await FanOutAllAsync();
        var delivery = Assert.Single(await Store.ListDeliveriesAsync(created.Id, 10, CancellationToken.None));
        Assert.True(await Store.DeleteWebhookAsync(created.Id, CancellationToken.None));
        Assert.False(await Store.DeleteWebhookAsync(created.Id, CancellationToken.None));
        Assert.Null(await Store.GetWebhookAsync(created.Id, CancellationToken.None));
        Assert.Empty(await Store.ListDeliveriesAsync(created.Id, 10, CancellationToken.None));
        Assert.Empty(await Store.ListAttemptsAsync(delivery.Id, CancellationToken.None));
    }
}
