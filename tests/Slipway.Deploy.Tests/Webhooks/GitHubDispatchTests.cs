using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Slipway.Deploy.Webhooks;
using Slipway.Testing;

namespace Slipway.Deploy.Tests.Webhooks;

/// <summary>
/// A webhook pointed at a repository's dispatches endpoint sends what GitHub's <c>repository_dispatch</c> accepts:
/// the event type, the MLflow envelope as the client payload, and the secret as the bearer token.
/// </summary>
public sealed class GitHubDispatchTests
{
    [Theory]
    [InlineData("https://api.github.com/repos/acme/models/dispatches", true)]
    [InlineData("https://github.example.com/api/v3/repos/acme/models/dispatches", true)]
    [InlineData("https://api.github.com/repos/acme/dispatches", false)]
    [InlineData("https://ci.example.com/hooks/slipway", false)]
    [InlineData("not a url", false)]
    public void Dispatch_urls_are_recognised_by_their_path(string url, bool expected) =>
        Assert.Equal(expected, GitHubDispatch.IsDispatchUrl(url));

    [Fact]
    public async Task A_dispatch_url_gets_GitHubs_body_and_a_bearer_token()
    {
        var port = FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = ReceiveOneAsync(listener);
        using var http = new HttpClient();
        var sender = new WebhookSender(http, new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero)), TimeSpan.FromSeconds(10));

        var result = await sender.SendAsync(
            $"http://127.0.0.1:{port}/repos/acme/models/dispatches", "ghp_token", "d-1", "model_version.created", "{\"name\":\"iris\",\"version\":\"3\"}", CancellationToken.None);

        var (path, authorization, accept, userAgent, signature, body) = await received;
        Assert.Equal(204, result.StatusCode);
        Assert.Equal("/repos/acme/models/dispatches", path);
        Assert.Equal("Bearer ghp_token", authorization);
        Assert.Equal("application/vnd.github+json", accept);
        Assert.False(string.IsNullOrEmpty(userAgent));
        Assert.Null(signature);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal("model_version.created", root.GetProperty("event_type").GetString());
        var payload = root.GetProperty("client_payload");
        Assert.Equal("model_version", payload.GetProperty("entity").GetString());
        Assert.Equal("created", payload.GetProperty("action").GetString());
        Assert.Equal("iris", payload.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("3", payload.GetProperty("data").GetProperty("version").GetString());
    }

    private static async Task<(string Path, string? Authorization, string? Accept, string? UserAgent, string? Signature, string Body)> ReceiveOneAsync(HttpListener listener)
    {
        var context = await listener.GetContextAsync();
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        var request = context.Request;
        var answer = (request.Url!.AbsolutePath, request.Headers["Authorization"], request.Headers["Accept"], request.UserAgent, request.Headers["X-MLflow-Signature"], body);
        context.Response.StatusCode = (int)HttpStatusCode.NoContent;
        context.Response.Close();
        return answer;
    }
}
