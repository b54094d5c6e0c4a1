using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Core.Registry;
using Slipway.Serving.Hosting;
using Slipway.Serving.Runtimes;

namespace Slipway.Server.Tests.Serving;

public sealed class OpenApiEndpointTests
{
    private static readonly string[] Columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    private const string Example = """{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}}""";

    [Fact]
    public async Task Each_served_model_has_its_openapi_document_with_its_paths_and_input_example()
    {
        await using var node = await ServingNode.OpenAsync();
        var version = await node.RegisterAsync("iris", ServingNode.Model("iris_logreg.onnx"), Columns, Example);
        await node.Registry.SetAliasAsync("iris", "champion", version, null, CancellationToken.None);
        var forest = await node.RegisterAsync("forest", ServingNode.Model("iris_random_forest.onnx"));
        await node.StartAsync(
            null,
            new ServedModelOptions(ModelUri.Parse("models:/iris@champion")),
            new ServedModelOptions(ModelUri.Parse($"models:/forest/{forest}")));

        using var response = await node.Http.GetAsync("/models/iris/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("3.0.3", (string?)document["openapi"]);
        Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)document["info"]!["version"]);
        Assert.Equal(
            ["/invocations", "/models/iris/invocations", "/v2/models/iris/infer", "/v2/models/iris", "/v2/models/iris/ready"],
            document["paths"]!.AsObject().Select(p => p.Key));

        // The package's input example is the MLflow request example, and its V2 form is a request this server accepts.
        var invocations = document["paths"]!["/models/iris/invocations"]!["post"]!["requestBody"]!["content"]!;
        Assert.NotNull(invocations["text/csv"]);
        var example = invocations["application/json"]!["example"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Example), example), example.ToJsonString());
        using var scored = await node.PostAsync("/models/iris/invocations", example.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        var labels = JsonDocument.Parse(await scored.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions");
        Assert.Equal(0, labels[0].GetProperty("label").GetInt64());
        Assert.Equal(2, labels[1].GetProperty("label").GetInt64());

        var v2Example = document["paths"]!["/v2/models/iris/infer"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;
        using var inferred = await node.PostAsync("/v2/models/iris/infer", v2Example.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, inferred.StatusCode);

        // The column names are the request's row properties.
        var row = document["components"]!["schemas"]!["Row"]!;
        Assert.Equal(Columns, row["required"]!.AsArray().Select(n => (string?)n));

        // The tensor model has its own document, without the CSV form (it has no columns).
        using var forestResponse = await node.Http.GetAsync("/models/forest/openapi.json");
        Assert.Equal(HttpStatusCode.OK, forestResponse.StatusCode);
        var forestDocument = JsonNode.Parse(await forestResponse.Content.ReadAsStringAsync())!;
        Assert.NotNull(forestDocument["paths"]!["/v2/models/forest/infer"]);
        Assert.Null(forestDocument["paths"]!["/models/forest/invocations"]!["post"]!["requestBody"]!["content"]!["text/csv"]);
    }

    [Fact]
    public async Task An_unknown_model_is_404_and_a_model_still_loading_is_503_with_mlflow_error_bodies()
    {
        await using var node = await ServingNode.OpenAsync();
        var version = await node.RegisterAsync("iris", ServingNode.Model("iris_logreg.onnx"), Columns);
        using var gate = new ManualResetEventSlim(false);
        await node.LaunchAsync(
            options => options.Loader = (directory, name, v, runtimeOptions) =>
            {
                // Hold the load until the test has seen the 503.
                gate.Wait(TimeSpan.FromSeconds(60));
                return ModelRuntimes.Load(directory, name, v, runtimeOptions);
            },
            new ServedModelOptions(ModelUri.Parse($"models:/iris/{version}")));

        using var unknown = await node.Http.GetAsync("/models/nope/openapi.json");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var unknownBody = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", unknownBody.GetProperty("error_code").GetString());
        Assert.Contains("'nope'", unknownBody.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var loading = await node.Http.GetAsync("/models/iris/openapi.json");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, loading.StatusCode);
        Assert.Equal("1", loading.Headers.GetValues("Retry-After").Single());
        var loadingBody = JsonDocument.Parse(await loading.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("TEMPORARILY_UNAVAILABLE", loadingBody.GetProperty("error_code").GetString());
        Assert.Contains("'iris'", loadingBody.GetProperty("message").GetString(), StringComparison.Ordinal);

        gate.Set();
        await node.Host.WaitUntilReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        using var loaded = await node.Http.GetAsync("/models/iris/openapi.json");
        Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
    }
}
