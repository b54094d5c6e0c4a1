using System.Net;
using System.Text.Json;
using Slipway.Core.Registry;
using Slipway.Serving.Hosting;

namespace Slipway.Server.Tests.Serving;

public sealed class ScoringEndpointTests : IAsyncLifetime
{
    private static readonly string[] Columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
    private ServingNode node = null!;

    public async Task InitializeAsync()
    {
        node = await ServingNode.OpenAsync();
        var table = await node.RegisterAsync("iris", ServingNode.Model("iris_logreg.onnx"), Columns);
        await node.Registry.SetAliasAsync("iris", "champion", table, null, CancellationToken.None);
        var tensor = await node.RegisterAsync("forest", ServingNode.Model("iris_random_forest.onnx"));
        await node.StartAsync(
            null,
            new ServedModelOptions(ModelUri.Parse("models:/iris@champion")),
            new ServedModelOptions(ModelUri.Parse($"models:/forest/{tensor}")));
    }

    public async Task DisposeAsync() => await node.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Mlflow_invocations_score_a_dataframe_split_on_the_named_model()
    {
        using var response = await node.PostAsync(
            "/models/iris/invocations",
            """{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await JsonAsync(response)).GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        Assert.Equal(0, predictions[0].GetProperty("label").GetInt64());
        Assert.Equal(2, predictions[1].GetProperty("label").GetInt64());
    }

    [Fact]
    public async Task Mlflow_errors_keep_their_status_and_error_code()
    {
        using var missing = await node.PostAsync("/models/iris/invocations", """{"dataframe_split": {"columns": ["sepal_length"], "data": [[5.1]]}}""");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var body = await JsonAsync(missing);
        Assert.Equal("INVALID_PARAMETER_VALUE", body.GetProperty("error_code").GetString());
        Assert.Contains("sepal_width", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var malformed = await node.PostAsync("/models/iris/invocations", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("BAD_REQUEST", (await JsonAsync(malformed)).GetProperty("error_code").GetString());

        using var xml = await node.PostAsync("/models/iris/invocations", "<x/>", "application/xml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);

        using var unknown = await node.PostAsync("/models/nope/invocations", "{}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (await JsonAsync(unknown)).GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Invocations_without_a_model_name_need_a_single_served_model()
    {
        using var response = await node.PostAsync("/invocations", """{"inputs": [[5.1, 3.5, 1.4, 0.2]]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await JsonAsync(response)).GetProperty("message").GetString()!;
        Assert.Contains("iris", message, StringComparison.Ordinal);
        Assert.Contains("forest", message, StringComparison.Ordinal);
        Assert.Contains("/models/NAME/invocations", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task V2_infer_scores_and_echoes_the_id()
    {
        using var response = await node.PostAsync(
            "/v2/models/forest/infer",
            """{"id": "r-1", "inputs": [{"name": "input", "datatype": "FP32", "shape": [2, 4], "data": [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]}], "outputs": [{"name": "label"}]}""",
            contentType: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("forest", body.GetProperty("model_name").GetString());
        Assert.Equal("1", body.GetProperty("model_version").GetString());
        Assert.Equal("r-1", body.GetProperty("id").GetString());
        var output = Assert.Single(body.GetProperty("outputs").EnumerateArray());
        Assert.Equal("label", output.GetProperty("name").GetString());
        Assert.Equal([0L, 2L], output.GetProperty("data").EnumerateArray().Select(v => v.GetInt64()));
    }

    [Fact]
    public async Task V2_errors_are_error_objects_with_their_status()
    {
        using var wrongType = await node.PostAsync(
            "/v2/models/forest/infer",
            """{"inputs": [{"name": "input", "datatype": "FP64", "shape": [1, 4], "data": [5.1, 3.5, 1.4, 0.2]}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("input", (await JsonAsync(wrongType)).GetProperty("error").GetString(), StringComparison.Ordinal);

        using var unknown = await node.PostAsync("/v2/models/nope/infer", """{"inputs": []}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nope", (await JsonAsync(unknown)).GetProperty("error").GetString(), StringComparison.Ordinal);

        using var otherVersion = await node.PostAsync("/v2/models/forest/versions/7/infer", """{"inputs": []}""");
        Assert.Equal(HttpStatusCode.NotFound, otherVersion.StatusCode);

        using var text = await node.PostAsync("/v2/models/forest/infer", "x", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.True((await JsonAsync(text)).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task V2_health_and_metadata_describe_the_served_models()
    {
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/v2/models/iris/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/v2/models/iris/versions/1/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await node.Http.GetAsync("/v2/models/iris/versions/9/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.GetAsync("/v2/models/nope/ready")).StatusCode);

        var server = await JsonAsync(await node.Http.GetAsync("/v2"));
        Assert.Equal("slipway", server.GetProperty("name").GetString());

        var metadata = await JsonAsync(await node.Http.GetAsync("/v2/models/iris"));
        Assert.Equal("iris", metadata.GetProperty("name").GetString());
        Assert.Equal(Columns, metadata.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/v2/models/iris/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.GetAsync("/v2/models/iris/versions/2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.GetAsync("/v2/models/nope")).StatusCode);
    }

    [Fact]
    public async Task Ping_health_status_and_metrics_answer()
    {
        using var ping = await node.Http.GetAsync("/ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/health")).StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(await node.Http.GetStringAsync("/version")));

        using (await node.PostAsync("/models/iris/invocations", """{"dataframe_records": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}"""))
        {
        }

        using (await node.PostAsync("/models/iris/invocations", "{}"))
        {
        }

        var status = await JsonAsync(await node.Http.GetAsync("/api/slipway/serving/models"));
        Assert.True(status.GetProperty("ready").GetBoolean());
        var iris = status.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "iris");
        Assert.Equal("1", iris.GetProperty("live_version").GetString());
        Assert.Equal("models:/iris@champion", iris.GetProperty("uri").GetString());
        Assert.Equal(JsonValueKind.Null, iris.GetProperty("last_failure").ValueKind);

        var metrics = await node.Http.GetStringAsync("/metrics");
        Assert.Contains("slipway_serving_requests_total{model=\"iris\",version=\"1\",alias=\"champion\",protocol=\"mlflow\",status=\"2xx\",variant=\"stable\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("slipway_serving_requests_total{model=\"iris\",version=\"1\",alias=\"champion\",protocol=\"mlflow\",status=\"4xx\",variant=\"stable\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("slipway_serving_request_duration_seconds_count{model=\"iris\",version=\"1\",alias=\"champion\",protocol=\"mlflow\",variant=\"stable\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("slipway_serving_request_duration_seconds_bucket{model=\"iris\",version=\"1\",alias=\"champion\",protocol=\"mlflow\",variant=\"stable\",le=\"+Inf\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("slipway_serving_model_swaps_total{model=\"iris\",alias=\"champion\"} 1", metrics, StringComparison.Ordinal);
    }
}
