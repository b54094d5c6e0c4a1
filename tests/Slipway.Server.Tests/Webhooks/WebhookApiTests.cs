using System.Net;
using System.Text.Json;
using Slipway.Server.Tests.Support;
using Slipway.Testing;

namespace Slipway.Server.Tests.Webhooks;

/// <summary>
/// MLflow's webhook API on a real server: CRUD with MLflow's shapes (the secret never comes back), bad inputs answered
/// 400 naming the field, the synchronous test delivery, and every MLflow registry event delivered to an independent
/// receiver with the right payload and a valid signature.
/// </summary>
public sealed class WebhookApiTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "shh-it's-a-secret";
    private readonly TempDirectory _directory = new("slipway-webhook-api");
    private RunningServer _server = null!;

    private string Log => _directory.Combine("receiver.jsonl");

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    private static string CreateBody(string url, string events = """[{"entity": "MODEL_VERSION", "action": "CREATED"}]""", string name = "ci") =>
        $$"""{"name": "{{name}}", "url": "{{url}}", "events": {{events}}, "description": "notify CI", "secret": "{{Secret}}"}""";

    private async Task<JsonElement> CreateAsync(string body, string prefix = "/api/2.0/mlflow") =>
        (await JsonAssert.OkAsync(await _server.SendJsonAsync(HttpMethod.Post, prefix + "/webhooks", body))).GetProperty("webhook");

    [Fact]
    public async Task Webhooks_are_created_read_listed_updated_and_deleted_in_MLflows_shapes()
    {
        var created = await CreateAsync(CreateBody("http://127.0.0.1:9/hook", """[{"entity": "MODEL_VERSION", "action": "CREATED"}, "promotion.failed"]"""));
        var id = created.GetProperty("webhook_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal("ci", created.GetProperty("name").GetString());
        Assert.Equal("notify CI", created.GetProperty("description").GetString());
        Assert.Equal("http://127.0.0.1:9/hook", created.GetProperty("url").GetString());
        Assert.Equal("ACTIVE", created.GetProperty("status").GetString());
        Assert.Equal(
            """[{"entity":"MODEL_VERSION","action":"CREATED"},{"entity":"PROMOTION","action":"FAILED"}]""",
            created.GetProperty("events").GetRawText());
        Assert.True(created.GetProperty("creation_timestamp").GetInt64() > 0);
        Assert.False(created.TryGetProperty("secret", out _));

        var fetched = (await JsonAssert.OkAsync(await _server.Http.GetAsync($"/ajax-api/2.0/mlflow/webhooks/{id}"))).GetProperty("webhook");
        Assert.Equal(created.GetRawText(), fetched.GetRawText());

        await CreateAsync(CreateBody("https://example.com/b", name: "second"));
        var page = await JsonAssert.OkAsync(await _server.Http.GetAsync("/api/2.0/mlflow/webhooks?max_results=1"));
        Assert.Single(page.GetProperty("webhooks").EnumerateArray());
        var token = page.GetProperty("next_page_token").GetString();
        var rest = await JsonAssert.OkAsync(await _server.Http.GetAsync("/api/2.0/mlflow/webhooks?max_results=1&page_token=" + Uri.EscapeDataString(token!)));
        Assert.Single(rest.GetProperty("webhooks").EnumerateArray());
        Assert.False(rest.TryGetProperty("next_page_token", out _));
        Assert.NotEqual(
            page.GetProperty("webhooks")[0].GetProperty("webhook_id").GetString(),
            rest.GetProperty("webhooks")[0].GetProperty("webhook_id").GetString());

        var updated = (await JsonAssert.OkAsync(await _server.SendJsonAsync(
            HttpMethod.Patch, $"/api/2.0/mlflow/webhooks/{id}", """{"status": "DISABLED", "name": "ci-paused"}"""))).GetProperty("webhook");
        Assert.Equal("DISABLED", updated.GetProperty("status").GetString());
        Assert.Equal("ci-paused", updated.GetProperty("name").GetString());
        Assert.Equal("http://127.0.0.1:9/hook", updated.GetProperty("url").GetString());
        Assert.Equal(created.GetProperty("events").GetRawText(), updated.GetProperty("events").GetRawText());

        Assert.Equal("{}", (await JsonAssert.OkAsync(await _server.Http.DeleteAsync($"/api/2.0/mlflow/webhooks/{id}"))).GetRawText());
        var message = await JsonAssert.ErrorAsync(await _server.Http.GetAsync($"/api/2.0/mlflow/webhooks/{id}"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal($"Webhook with ID {id} not found.", message);
    }

    [Theory]
    [InlineData("""{"url": "http://h/x", "events": [{"entity": "MODEL_VERSION", "action": "CREATED"}]}""", "'name'")]
    [InlineData("""{"name": "n", "events": [{"entity": "MODEL_VERSION", "action": "CREATED"}]}""", "'url'")]
    [InlineData("""{"name": "n", "url": "ftp://h/x", "events": [{"entity": "MODEL_VERSION", "action": "CREATED"}]}""", "'url'")]
    [InlineData("""{"name": "n", "url": "not a url", "events": [{"entity": "MODEL_VERSION", "action": "CREATED"}]}""", "'url'")]
    [InlineData("""{"name": "n", "url": "http://h/x"}""", "'events'")]
    [InlineData("""{"name": "n", "url": "http://h/x", "events": []}""", "'events'")]
    [InlineData("""{"name": "n", "url": "http://h/x", "events": {"entity": "MODEL_VERSION"}}""", "'events'")]
    [InlineData("""{"name": "n", "url": "http://h/x", "events": [{"entity": "MODEL_VERSION", "action": "DELETED"}]}""", "'events[0]'")]
    [InlineData("""{"name": "n", "url": "http://h/x", "events": [{"entity": "MODEL_VERSION_TAG", "action": "SET"}, {"entity": "PROMPT", "action": "CREATED"}]}""", "'events[1]'")]
    [InlineData("""{"name": "n", "url": "http://h/x", "events": [{"entity": "MODEL_VERSION"}]}""", "'events[0]'")]
    [InlineData("""{"name": "n", "url": "http://h/x", "events": ["model_version"]}""", "'events[0]'")]
    [InlineData("""{"name": "n", "url": "http://h/x", "events": ["drift.alert"], "status": "PAUSED"}""", "'status'")]
    [InlineData("""{"name": 3, "url": "http://h/x", "events": ["drift.alert"]}""", "'name'")]
    [InlineData("""{"name": "n", "url": "http://h/x", "events": ["drift.alert"], "secret": true}""", "'secret'")]
    public async Task Bad_create_requests_are_400_naming_the_field(string body, string field)
    {
        var message = await JsonAssert.ErrorAsync(
            await _server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/webhooks", body), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains(field, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_ids_and_parameters_elsewhere_are_404_or_400()
    {
        await JsonAssert.ErrorAsync(await _server.SendJsonAsync(HttpMethod.Patch, "/api/2.0/mlflow/webhooks/nope", """{"name": "x"}"""), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await _server.Http.DeleteAsync("/api/2.0/mlflow/webhooks/nope"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await _server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/webhooks/nope/test", "{}"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await _server.Http.GetAsync("/api/slipway/webhooks/nope/deliveries"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Contains("'max_results'", await JsonAssert.ErrorAsync(await _server.Http.GetAsync("/api/2.0/mlflow/webhooks?max_results=0"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        Assert.Contains("JSON", await JsonAssert.ErrorAsync(await _server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/webhooks", "{not json"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);

        var id = (await CreateAsync(CreateBody("http://127.0.0.1:9/hook"))).GetProperty("webhook_id").GetString();
        Assert.Contains("'url'", await JsonAssert.ErrorAsync(await _server.SendJsonAsync(HttpMethod.Patch, $"/api/2.0/mlflow/webhooks/{id}", """{"url": "file:///etc/passwd"}"""), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        Assert.Contains("'event'", await JsonAssert.ErrorAsync(
            await _server.SendJsonAsync(HttpMethod.Post, $"/api/2.0/mlflow/webhooks/{id}/test", """{"event": {"entity": "MODEL_VERSION_TAG", "action": "SET"}}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_sends_MLflows_example_payload_signed_and_answers_the_test_result()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Log, secret: Secret);
        var id = (await CreateAsync(CreateBody(receiver.Url, """[{"entity": "MODEL_VERSION", "action": "CREATED"}, {"entity": "MODEL_VERSION_ALIAS", "action": "DELETED"}]""")))
            .GetProperty("webhook_id").GetString();

        var first = (await JsonAssert.OkAsync(await _server.SendJsonAsync(HttpMethod.Post, $"/api/2.0/mlflow/webhooks/{id}/test", ""))).GetProperty("result");
        Assert.True(first.GetProperty("success").GetBoolean());
        Assert.Equal(200, first.GetProperty("response_status").GetInt32());
        Assert.Equal("""{"status": "success"}""", first.GetProperty("response_body").GetString());
        Assert.False(first.TryGetProperty("error_message", out _));

        var chosen = (await JsonAssert.OkAsync(await _server.SendJsonAsync(
            HttpMethod.Post, $"/api/2.0/mlflow/webhooks/{id}/test", """{"event": {"entity": "MODEL_VERSION_ALIAS", "action": "DELETED"}}"""))).GetProperty("result");
        Assert.True(chosen.GetProperty("success").GetBoolean());

        var requests = receiver.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.True(r.GetProperty("verified").GetBoolean()));
        using var versionCreated = JsonDocument.Parse(requests[0].GetProperty("body").GetString()!);
        Assert.Equal("model_version", versionCreated.RootElement.GetProperty("entity").GetString());
        Assert.Equal(
            """{"name":"example_model","version":"1","source":"runs:/abcd1234abcd5678/model","run_id":"abcd1234abcd5678","tags":{"example_key":"example_value"},"description":"An example model version"}""",
            versionCreated.RootElement.GetProperty("data").GetRawText());
        using var aliasDeleted = JsonDocument.Parse(requests[1].GetProperty("body").GetString()!);
        Assert.Equal("model_version_alias", aliasDeleted.RootElement.GetProperty("entity").GetString());
        Assert.Equal("deleted", aliasDeleted.RootElement.GetProperty("action").GetString());
        Assert.Equal("""{"name":"example_model","alias":"example_alias"}""", aliasDeleted.RootElement.GetProperty("data").GetRawText());

        // The test goes out even to a disabled webhook, and leaves no delivery behind.
        var down = (await CreateAsync(CreateBody(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort.Next()}/hook")))).GetProperty("webhook_id").GetString();
        var failed = (await JsonAssert.OkAsync(await _server.SendJsonAsync(HttpMethod.Post, $"/api/2.0/mlflow/webhooks/{down}/test", "{}"))).GetProperty("result");
        Assert.False(failed.GetProperty("success").GetBoolean());
        Assert.False(failed.TryGetProperty("response_status", out _));
        Assert.StartsWith("Failed to test webhook: ", failed.GetProperty("error_message").GetString(), StringComparison.Ordinal);
        var deliveries = await JsonAssert.OkAsync(await _server.Http.GetAsync($"/api/slipway/webhooks/{id}/deliveries"));
        Assert.Empty(deliveries.GetProperty("deliveries").EnumerateArray());
    }

    [Fact]
    public async Task Every_MLflow_registry_event_reaches_the_receiver_with_its_payload()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Log, secret: Secret);
        var events = """["registered_model.created", "model_version.created", "model_version_tag.set", "model_version_tag.deleted", "model_version_alias.created", "model_version_alias.deleted"]""";
        var id = (await CreateAsync(CreateBody(receiver.Url, events))).GetProperty("webhook_id").GetString();
        var name = Names.Unique("hooked");
        using var client = _server.Client();
        await client.CreateRegisteredModelAsync(name, "desc", new Dictionary<string, string> { ["team"] = "risk" }, CancellationToken.None);
        var prefix = "uploads/" + Guid.NewGuid().ToString("N");
        await client.UploadArtifactAsync(prefix + "/MLmodel", new MemoryStream("m"u8.ToArray()), CancellationToken.None);
        await client.CreateModelVersionAsync(new(name, "mlflow-artifacts:/" + prefix, "", "", "v1", "", new Dictionary<string, string>()), CancellationToken.None);
        await client.SetModelVersionTagAsync(name, 1, "stage", "qa", CancellationToken.None);
        await client.DeleteModelVersionTagAsync(name, 1, "stage", CancellationToken.None);
        await client.SetAliasAsync(name, "champion", 1, null, CancellationToken.None);
        await client.DeleteAliasAsync(name, "champion", null, CancellationToken.None);

        var requests = await receiver.WaitForAsync(r => r.Count >= 6, TimeSpan.FromSeconds(60));
        var bodies = requests.Select(r => JsonDocument.Parse(r.GetProperty("body").GetString()!).RootElement).ToList();
        // Deliveries go out concurrently, so arrival order is not event order: compare as sets.
        Assert.Equal(
            ["model_version.created", "model_version_alias.created", "model_version_alias.deleted", "model_version_tag.deleted", "model_version_tag.set", "registered_model.created"],
            bodies.Select(b => b.GetProperty("entity").GetString() + "." + b.GetProperty("action").GetString()).Order(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.True(r.GetProperty("verified").GetBoolean()));
        var data = bodies.ToDictionary(b => b.GetProperty("entity").GetString() + "." + b.GetProperty("action").GetString(), b => b.GetProperty("data").GetRawText());
        Assert.Equal($$"""{"name":"{{name}}","tags":{"team":"risk"},"description":"desc"}""", data["registered_model.created"]);
        Assert.Equal($$"""{"name":"{{name}}","version":"1","source":"mlflow-artifacts:/{{prefix}}","run_id":null,"tags":{},"description":"v1"}""", data["model_version.created"]);
        Assert.Equal($$"""{"name":"{{name}}","version":"1","key":"stage","value":"qa"}""", data["model_version_tag.set"]);
        Assert.Equal($$"""{"name":"{{name}}","version":"1","key":"stage"}""", data["model_version_tag.deleted"]);
        Assert.Equal($$"""{"name":"{{name}}","alias":"champion","version":"1"}""", data["model_version_alias.created"]);
        Assert.Equal($$"""{"name":"{{name}}","alias":"champion"}""", data["model_version_alias.deleted"]);

        var history = await JsonAssert.OkAsync(await _server.Http.GetAsync($"/api/slipway/webhooks/{id}/deliveries"));
        var deliveries = history.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal(6, deliveries.Count);
        Assert.All(deliveries, d =>
        {
            Assert.Equal("delivered", d.GetProperty("state").GetString());
            var attempt = Assert.Single(d.GetProperty("attempt_log").EnumerateArray());
            Assert.Equal(200, attempt.GetProperty("status_code").GetInt32());
        });
        Assert.Equal(
            requests.Select(r => r.GetProperty("delivery_id").GetString()).Order(StringComparer.Ordinal),
            deliveries.Select(d => d.GetProperty("delivery_id").GetString()).Order(StringComparer.Ordinal));
    }
}
