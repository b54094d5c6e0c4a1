using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Webhooks;

/// <summary>
/// The outbox survives <c>kill -9</c>: events queued while the receiver is down are delivered, signed and with their
/// original delivery ids, by the restarted server once the receiver comes up.
/// </summary>
public sealed class WebhookDurabilityTests
{
    private const string Secret = "durable-secret";

    [Fact]
    public async Task Events_queued_for_a_down_receiver_arrive_after_kill_9_and_restart_with_their_delivery_ids()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var data = work.Combine("server-data");
        var log = work.Combine("receiver.jsonl");
        var port = FreePort.Next();
        var name = "hooked-" + Guid.NewGuid().ToString("N")[..8];
        string webhookId;
        List<string> queued;

        await using (var server = await ServerProcess.StartAsync(work.Path, null, "--registry", data))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            var body = $$"""
                {"name": "ci", "url": "http://127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}}/hook", "secret": "{{Secret}}",
                 "events": [{"entity": "REGISTERED_MODEL", "action": "CREATED"}, {"entity": "MODEL_VERSION", "action": "CREATED"}]}
                """;
            using var created = await http.PostAsync("/api/2.0/mlflow/webhooks", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            using (var document = JsonDocument.Parse(await created.Content.ReadAsStringAsync()))
            {
                webhookId = document.RootElement.GetProperty("webhook").GetProperty("webhook_id").GetString()!;
            }

            (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "models", "register", name, RegistryScenario.IrisModel, "--columns", "a,b,c,d"))
                .ShouldSucceed();

            // Both events were fanned out and tried at least once against the closed port before the crash.
            queued = await WaitForDeliveriesAsync(http, webhookId, server);
            await server.KillAsync();
        }

        await using var receiver = await WebhookReceiver.StartAsync(log, secret: Secret, port: port);
        await using (var restarted = await ServerProcess.StartAsync(work.Path, null, "--registry", data))
        {
            var requests = await receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(90));
            Assert.Equal(queued.Order(StringComparer.Ordinal), requests.Select(r => r.GetProperty("delivery_id").GetString()!).Order(StringComparer.Ordinal));
            Assert.All(requests, r => Assert.True(r.GetProperty("verified").GetBoolean()));
            var events = requests.Select(r =>
            {
                using var document = JsonDocument.Parse(r.GetProperty("body").GetString()!);
                var root = document.RootElement;
                Assert.Equal(name, root.GetProperty("data").GetProperty("name").GetString());
                return root.GetProperty("entity").GetString() + "." + root.GetProperty("action").GetString();
            });
            Assert.Equal(["model_version.created", "registered_model.created"], events.Order(StringComparer.Ordinal));

            // Delivered once each: nothing more arrives.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(2, receiver.Requests.Count);
        }
    }

    private static async Task<List<string>> WaitForDeliveriesAsync(HttpClient http, string webhookId, ServerProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"/api/slipway/webhooks/{webhookId}/deliveries"));
            var deliveries = document.RootElement.GetProperty("deliveries").EnumerateArray().ToList();
            if (deliveries.Count == 2 && deliveries.All(d => d.GetProperty("attempts").GetInt32() >= 1))
            {
                Assert.All(deliveries, d =>
                {
                    Assert.Equal("pending", d.GetProperty("state").GetString());
                    Assert.StartsWith("connection failed", d.GetProperty("last_error").GetString(), StringComparison.Ordinal);
                });
                return [.. deliveries.Select(d => d.GetProperty("delivery_id").GetString()!)];
            }

            await Task.Delay(100);
        }

        Assert.Fail("The deliveries were not tried within a minute:\n" + server.Output);
        return [];
    }
}
