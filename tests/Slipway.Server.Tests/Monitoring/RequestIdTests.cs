using System.Net;
using System.Text.Json;
using Slipway.Server.Tests.Serving;

namespace Slipway.Server.Tests.Monitoring;

public sealed class RequestIdTests : IAsyncLifetime
{
    private ServingNode node = null!;

    public async Task InitializeAsync() => node = await MonitoredNode.StartAsync(monitoring: false);

    public async Task DisposeAsync() => await node.DisposeAsync();

    [Fact]
    public async Task The_callers_request_id_comes_back()
    {
        using var response = await node.ScoreAsync(MonitoredNode.OneRow, "order-42/attempt:1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("order-42/attempt:1", response.RequestId());
    }

    [Fact]
    public async Task Without_one_each_answer_gets_a_new_compact_id()
    {
        using var first = await node.ScoreAsync(MonitoredNode.OneRow);
        using var second = await node.ScoreAsync(MonitoredNode.OneRow);

        Assert.Matches("^[0-9a-v]{10}-[0-9a-v]+$", first.RequestId());
        Assert.Matches("^[0-9a-v]{10}-[0-9a-v]+$", second.RequestId());
        Assert.NotEqual(first.RequestId(), second.RequestId());
    }

    [Fact]
    public async Task Errors_carry_a_request_id_too()
    {
        using var bad = await node.ScoreAsync(MonitoredNode.Bad, "mine-1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("mine-1", bad.RequestId());

        using var unknown = await node.PostAsync("/models/nope/invocations", "{}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.NotEmpty(unknown.RequestId());
    }

    [Fact]
    public async Task V2_uses_the_body_id_unless_the_header_names_one()
    {
        const string Body = """{"id": "v2-body-id", "inputs": [{"name": "sepal_length", "datatype": "FP32", "shape": [1], "data": [5.1]}, {"name": "sepal_width", "datatype": "FP32", "shape": [1], "data": [3.5]}, {"name": "petal_length", "datatype": "FP32", "shape": [1], "data": [1.4]}, {"name": "petal_width", "datatype": "FP32", "shape": [1], "data": [0.2]}]}""";
        using var fromBody = await node.PostAsync("/v2/models/iris/infer", Body);
        Assert.Equal(HttpStatusCode.OK, fromBody.StatusCode);
        Assert.Equal("v2-body-id", fromBody.RequestId());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/iris/infer") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Request-Id", "header-wins");
        using var fromHeader = await node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, fromHeader.StatusCode);
        Assert.Equal("header-wins", fromHeader.RequestId());

        // The V2 answer still echoes the body's id, as the protocol asks.
        Assert.Equal("v2-body-id", JsonDocument.Parse(await fromHeader.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(129)]
    [InlineData(-1)]
    public async Task A_bad_request_id_header_is_refused_naming_the_header(int length)
    {
        var id = length > 0 ? new string('a', length) : "bad\u007fid";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/models/iris/invocations") { Content = new StringContent(MonitoredNode.OneRow) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Request-Id", id);

        using var response = await node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("BAD_REQUEST", body.GetProperty("error_code").GetString());
        Assert.Contains("X-Request-Id", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(id, response.RequestId());
        Assert.NotEmpty(response.RequestId());
    }
}
