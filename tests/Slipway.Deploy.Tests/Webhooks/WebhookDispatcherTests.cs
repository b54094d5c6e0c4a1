using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Deployment.Webhooks;
using Slipway.Core.Registry;
using Slipway.Deploy.Webhooks;
using Slipway.Storage;
using Slipway.Storage.Metadata;
using Slipway.Testing;

namespace Slipway.Deploy.Tests.Webhooks;

/// <summary>
/// The dispatcher against real receivers (an independent Python implementation of MLflow's receiver) over a real
/// SQLite store; the dispatcher's clock is fake, so backoff is stepped through rather than waited for.
/// </summary>
public sealed partial class WebhookDispatcherTests : IAsyncLifetime, IDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();
    private readonly TempDirectory _directory = new("slipway-dispatch");
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private SqlMetadataStore _store = null!;

    private string Log => _directory.Combine("receiver.jsonl");

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task InitializeAsync() =>
        _store = await StorageFactory.OpenMetadataStoreAsync("sqlite:" + _directory.Combine("meta.db"), TimeProvider.System, CancellationToken.None);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _directory.Dispose();
    }

    private WebhookDispatcher Dispatcher(int maxAttempts = 10) =>
        new(_store, _http, _time, new WebhookDispatcherOptions { Random = new Random(7), MaxAttempts = maxAttempts });

    private Task<Webhook> CreateWebhookAsync(string url, string? secret = null, string events = "registered_model.created") =>
        _store.CreateWebhookAsync(
            new Webhook(Guid.NewGuid().ToString("N"), "hook", null, url, [.. events.Split(',').Select(WebhookEvent.Parse)], WebhookStatus.Active, secret, Now - 1000, Now - 1000),
            CancellationToken.None);

    private Task<RegisteredModel> CreateModelAsync(string name) =>
        _store.CreateRegisteredModelAsync(name, "scores credit", new Dictionary<string, string> { ["team"] = "risk" }, Now, CancellationToken.None);

    private async Task<WebhookDelivery> SingleDeliveryAsync(Webhook webhook) =>
        Assert.Single(await _store.ListDeliveriesAsync(webhook.Id, 10, CancellationToken.None));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$")]
    private static partial Regex PythonIsoFormat();

    [Fact]
    public async Task An_independent_receiver_verifies_the_signature_headers_and_body_as_MLflow_documents()
    {
        const string secret = "It's a sécret ✓";
        await using var receiver = await WebhookReceiver.StartAsync(Log, secret: secret);
        var signed = await CreateWebhookAsync(receiver.Url, secret);
        var wrongKey = await CreateWebhookAsync(receiver.Url, "not the secret");
        await CreateModelAsync("credit-ü");

        await using var dispatcher = Dispatcher();
        await dispatcher.RunOnceAsync(CancellationToken.None);

        var requests = receiver.Requests;
        Assert.Equal(2, requests.Count);
        var delivery = await SingleDeliveryAsync(signed);
        var good = Assert.Single(requests, r => r.GetProperty("delivery_id").GetString() == delivery.Id);
        Assert.True(good.GetProperty("verified").GetBoolean());
        Assert.True(good.GetProperty("fresh").GetBoolean());
        Assert.Equal("application/json", good.GetProperty("content_type").GetString());
        Assert.StartsWith("v1,", good.GetProperty("signature").GetString(), StringComparison.Ordinal);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), good.GetProperty("timestamp").GetString());
        using (var body = JsonDocument.Parse(good.GetProperty("body").GetString()!))
        {
            var root = body.RootElement;
            Assert.Equal(["entity", "action", "timestamp", "data"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal("registered_model", root.GetProperty("entity").GetString());
            Assert.Equal("created", root.GetProperty("action").GetString());
            Assert.Matches(PythonIsoFormat(), root.GetProperty("timestamp").GetString());
            Assert.Equal("credit-ü", root.GetProperty("data").GetProperty("name").GetString());
            Assert.Equal("risk", root.GetProperty("data").GetProperty("tags").GetProperty("team").GetString());
            Assert.Equal("scores credit", root.GetProperty("data").GetProperty("description").GetString());
        }

        Assert.Equal(WebhookDeliveryState.Delivered, delivery.State);

        // Signed with another key: the receiver refuses it (401), which is final.
        var bad = Assert.Single(requests, r => r.GetProperty("delivery_id").GetString() != delivery.Id);
        Assert.False(bad.GetProperty("verified").GetBoolean());
        var refused = await SingleDeliveryAsync(wrongKey);
        Assert.Equal(WebhookDeliveryState.Failed, refused.State);
        Assert.Equal(401, refused.LastStatusCode);
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_event_once_with_backoff_growing()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Log, responses: "503,503,200");
        var webhook = await CreateWebhookAsync(receiver.Url);
        await CreateModelAsync("flaky");
        await using var dispatcher = Dispatcher();

        await dispatcher.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(900));
        await dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Single(receiver.Requests);

        _time.Advance(TimeSpan.FromMilliseconds(400));
        await dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, receiver.Requests.Count);
        _time.Advance(TimeSpan.FromMilliseconds(2600));
        await dispatcher.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(10));
        await dispatcher.RunOnceAsync(CancellationToken.None);

        var requests = receiver.Requests;
        Assert.Equal([503, 503, 200], requests.Select(r => r.GetProperty("status").GetInt32()));
        var delivery = await SingleDeliveryAsync(webhook);
        Assert.All(requests, r => Assert.Equal(delivery.Id, r.GetProperty("delivery_id").GetString()));
        Assert.Equal(WebhookDeliveryState.Delivered, delivery.State);
        Assert.Equal(3, delivery.Attempts);

        var attempts = await _store.ListAttemptsAsync(delivery.Id, CancellationToken.None);
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Number));
        Assert.Equal([503, 503, 200], attempts.Select(a => a.StatusCode ?? 0));
        Assert.Equal("HTTP 503: {\"status\": \"error\"}", attempts[0].Error);
        Assert.Null(attempts[2].Error);
        Assert.Null(attempts[2].NextAttemptAt);
        var first = attempts[0].NextAttemptAt!.Value - attempts[0].StartedAt;
        var second = attempts[1].NextAttemptAt!.Value - attempts[1].StartedAt;
        Assert.InRange(first, 1000, 1250);
        Assert.InRange(second, 2000, 2500);
        Assert.True(second > first);
    }

    [Fact]
    public async Task A_429_waits_at_least_its_Retry_After()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Log, responses: "429,200", retryAfter: "30");
        var webhook = await CreateWebhookAsync(receiver.Url);
        await CreateModelAsync("limited");
        await using var dispatcher = Dispatcher();

        await dispatcher.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(29));
        await dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Single(receiver.Requests);
        _time.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal([429, 200], receiver.Requests.Select(r => r.GetProperty("status").GetInt32()));
        var delivery = await SingleDeliveryAsync(webhook);
        Assert.Equal(WebhookDeliveryState.Delivered, delivery.State);
        var attempts = await _store.ListAttemptsAsync(delivery.Id, CancellationToken.None);
        Assert.Equal(30_000, attempts[0].NextAttemptAt - attempts[0].StartedAt);
    }

    [Fact]
    public async Task A_4xx_fails_at_once_and_is_not_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Log, responses: "400,200");
        var webhook = await CreateWebhookAsync(receiver.Url);
        await CreateModelAsync("refused");
        await using var dispatcher = Dispatcher();

        await dispatcher.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        await dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Single(receiver.Requests);
        var delivery = await SingleDeliveryAsync(webhook);
        Assert.Equal(WebhookDeliveryState.Failed, delivery.State);
        Assert.Equal(400, delivery.LastStatusCode);
        Assert.Null(Assert.Single(await _store.ListAttemptsAsync(delivery.Id, CancellationToken.None)).NextAttemptAt);
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_event_with_its_delivery_id_once_it_is_up()
    {
        var port = FreePort.Next();
        var webhook = await CreateWebhookAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/hook"));
        await CreateModelAsync("patient");
        await using var dispatcher = Dispatcher();

        await dispatcher.RunOnceAsync(CancellationToken.None);
        var waiting = await SingleDeliveryAsync(webhook);
        Assert.Equal(WebhookDeliveryState.Pending, waiting.State);
        Assert.Null(waiting.LastStatusCode);
        Assert.StartsWith("connection failed", waiting.LastError, StringComparison.Ordinal);

        await using var receiver = await WebhookReceiver.StartAsync(Log, port: port);
        _time.Advance(TimeSpan.FromSeconds(2));
        await dispatcher.RunOnceAsync(CancellationToken.None);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal(waiting.Id, request.GetProperty("delivery_id").GetString());
        Assert.Equal(WebhookDeliveryState.Delivered, (await SingleDeliveryAsync(webhook)).State);
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_is_given_up_after_the_last_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Log, responses: "500");
        var webhook = await CreateWebhookAsync(receiver.Url);
        await CreateModelAsync("doomed");
        await using var dispatcher = Dispatcher(maxAttempts: 3);

        for (var i = 0; i < 6; i++)
        {
            await dispatcher.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(3, receiver.Requests.Count);
        var delivery = await SingleDeliveryAsync(webhook);
        Assert.Equal(WebhookDeliveryState.Failed, delivery.State);
        Assert.Equal(3, delivery.Attempts);
    }

    [Fact]
    public async Task Two_dispatchers_on_one_database_send_each_delivery_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Log);
        var webhook = await CreateWebhookAsync(receiver.Url);
        for (var i = 0; i < 30; i++)
        {
            await CreateModelAsync("model-" + i);
        }

        await using var other = await StorageFactory.OpenMetadataStoreAsync("sqlite:" + _directory.Combine("meta.db"), TimeProvider.System, CancellationToken.None);
        await using var a = new WebhookDispatcher(_store, _http, _time, new WebhookDispatcherOptions { BatchSize = 4 });
        await using var b = new WebhookDispatcher(other, _http, _time, new WebhookDispatcherOptions { BatchSize = 4 });
        for (var round = 0; round < 20; round++)
        {
            await Task.WhenAll(a.RunOnceAsync(CancellationToken.None), b.RunOnceAsync(CancellationToken.None));

            // The receiver's small listen backlog may refuse a burst; those are retried after their backoff.
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        var requests = receiver.Requests;
        Assert.Equal(30, requests.Count);
        Assert.Equal(30, requests.Select(r => r.GetProperty("delivery_id").GetString()).Distinct().Count());
        var deliveries = await _store.ListDeliveriesAsync(webhook.Id, 100, CancellationToken.None);
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryState.Delivered, d.State));
    }
}
