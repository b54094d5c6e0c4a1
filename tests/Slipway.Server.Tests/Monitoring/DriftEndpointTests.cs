using System.Net;
using System.Text.Json;
using Slipway.Server.Tests.Serving;

namespace Slipway.Server.Tests.Monitoring;

public sealed class DriftEndpointTests : IAsyncLifetime
{
    private ServingNode node = null!;

    public async Task InitializeAsync() => node = await MonitoredNode.StartAsync();

    public async Task DisposeAsync() => await node.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await node.Http.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Theory]
    [InlineData("/api/slipway/monitoring/drift", HttpStatusCode.BadRequest, "model")]
    [InlineData("/api/slipway/monitoring/drift?window=1d", HttpStatusCode.BadRequest, "model")]
    [InlineData("/api/slipway/monitoring/drift?model=iris&window=2h", HttpStatusCode.BadRequest, "window")]
    [InlineData("/api/slipway/monitoring/drift?model=nope&window=1h", HttpStatusCode.NotFound, "nope")]
    public async Task Bad_parameters_are_refused_naming_them(string path, HttpStatusCode status, string named)
    {
        var (actual, body) = await GetAsync(path);

        Assert.Equal(status, actual);
        Assert.Contains(named, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_without_a_reference_profile_has_no_drift_and_says_so()
    {
        using var scored = await node.ScoreAsync(MonitoredNode.TwoRows);
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        await node.Monitoring().Monitor!.FlushAsync();

        var (status, body) = await GetAsync("/api/slipway/monitoring/drift?model=iris&window=1h");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("reference", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_shows_the_directory_and_what_was_logged()
    {
        using var scored = await node.ScoreAsync(MonitoredNode.TwoRows);
        await node.Monitoring().Monitor!.FlushAsync();

        var (status, body) = await GetAsync("/api/slipway/monitoring/status");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("enabled").GetBoolean());
        Assert.Equal(Path.GetFullPath(node.Combine("monitoring")), body.GetProperty("directory").GetString());
        Assert.Equal(1, body.GetProperty("recorded").GetInt64());
        Assert.Equal(0, body.GetProperty("dropped").GetInt64());
        var model = Assert.Single(body.GetProperty("models").EnumerateArray());
        Assert.Equal("iris", model.GetProperty("model").GetString());
        Assert.Equal(2, model.GetProperty("rows").GetInt64());
    }
}
