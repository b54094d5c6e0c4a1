using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Webhooks;

/// <summary>
/// <c>slipway serve</c> on a local registry delivers the registry's webhook events as a server on it would: an event
/// queued by an embedded CLI registration (no server running) arrives, signed, once the serving node starts.
/// </summary>
public sealed class ServeDeliveryTests
{
    private const string Secret = "serve-secret";

    [Fact]
    public async Task A_serving_node_on_a_local_registry_delivers_events_queued_by_the_cli()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var data = work.Combine("registry");
        await using var receiver = await WebhookReceiver.StartAsync(work.Combine("receiver.jsonl"), secret: Secret);
        await using (var server = await ServerProcess.StartAsync(work.Path, null, "--registry", data))
        {
            // Webhooks are created through MLflow's API; the server then stops before anything happens.
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            var body = $$"""
                {"name": "ci", "url": "{{receiver.Url}}", "secret": "{{Secret}}", "events": [{"entity": "MODEL_VERSION", "action": "CREATED"}]}
                """;
            using var created = await http.PostAsync("/api/2.0/mlflow/webhooks", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var name = "served-" + Guid.NewGuid().ToString("N")[..8];
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", data, "models", "register", name, RegistryScenario.IrisModel, "--columns", "a,b,c,d")).ShouldSucceed();
        Assert.Empty(receiver.Requests);

        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort.Next()}");
        using var serve = Process.Start(SlipwayExecutable.StartInfo(work.Path, null, ["--registry", data, "serve", $"models:/{name}/1", "--urls", url]))!;
        try
        {
            var requests = await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(60));
            var request = Assert.Single(requests);
            Assert.True(request.GetProperty("verified").GetBoolean());
            using var document = JsonDocument.Parse(request.GetProperty("body").GetString()!);
            Assert.Equal("model_version", document.RootElement.GetProperty("entity").GetString());
            Assert.Equal(name, document.RootElement.GetProperty("data").GetProperty("name").GetString());
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }
}
