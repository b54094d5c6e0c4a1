using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Serving;

/// <summary><c>slipway server --serve</c>: the registry and the scoring endpoints in one real process.</summary>
public sealed class ServerServeTests
{
    private const string Columns = "sepal_length,sepal_width,petal_length,petal_width";

    private const string SplitRequest = """{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}}""";

    private const string V2Request = """{"id": "r-1", "inputs": [{"name": "sepal_length", "datatype": "FP32", "shape": [1], "data": [6.7]}, {"name": "sepal_width", "datatype": "FP32", "shape": [1], "data": [3.0]}, {"name": "petal_length", "datatype": "FP32", "shape": [1], "data": [5.2]}, {"name": "petal_width", "datatype": "FP32", "shape": [1], "data": [2.3]}]}""";

    [Fact]
    public async Task Server_serves_the_champion_next_to_the_registry_api_and_follows_alias_moves_made_through_it()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var data = work.Combine("server-data");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", data, "models", "register", "iris", Model("iris_logreg.onnx"), "--columns", Columns)).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", data, "alias", "set", "iris", "champion", "1")).ShouldSucceed();

        await using var server = await ServerProcess.StartAsync(work.Path, null, "--registry", data, "--serve", "models:/iris@champion", "--poll-interval", "0.05");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };
        await WaitForAsync(() => ReadyAsync(http), server, "the model did not load");

        using (var mlflow = await PostAsync(http, "/invocations", SplitRequest))
        {
            Assert.Equal(HttpStatusCode.OK, mlflow.StatusCode);
            var predictions = (await JsonAsync(mlflow)).GetProperty("predictions");
            Assert.Equal(0, predictions[0].GetProperty("label").GetInt64());
            Assert.Equal(2, predictions[1].GetProperty("label").GetInt64());
        }

        using (var v2 = await PostAsync(http, "/v2/models/iris/infer", V2Request))
        {
            Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
            var body = await JsonAsync(v2);
            Assert.Equal("r-1", body.GetProperty("id").GetString());
            Assert.Equal("1", body.GetProperty("model_version").GetString());
            var label = body.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "label");
            Assert.Equal(2, label.GetProperty("data")[0].GetInt64());
        }

        using (var invalid = await PostAsync(http, "/invocations", """{"dataframe_split": {"columns": ["sepal_length"], "data": [[5.1]]}}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Equal("INVALID_PARAMETER_VALUE", (await JsonAsync(invalid)).GetProperty("error_code").GetString());
        }

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("slipway_serving_requests_total{model=\"iris\",version=\"1\",alias=\"champion\",protocol=\"mlflow\",status=\"2xx\",variant=\"stable\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("slipway_serving_requests_total{model=\"iris\",version=\"1\",alias=\"champion\",protocol=\"v2\",status=\"2xx\",variant=\"stable\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("slipway_serving_requests_total{model=\"iris\",version=\"1\",alias=\"champion\",protocol=\"mlflow\",status=\"4xx\",variant=\"stable\"} 1", metrics, StringComparison.Ordinal);

        // The MLflow REST API answers in the same process, over the registry the model came from.
        using (var model = await http.GetAsync("/api/2.0/mlflow/registered-models/get?name=iris"))
        {
            Assert.Equal(HttpStatusCode.OK, model.StatusCode);
            var registered = (await JsonAsync(model)).GetProperty("registered_model");
            Assert.Equal("iris", registered.GetProperty("name").GetString());
            Assert.Contains(registered.GetProperty("aliases").EnumerateArray(), a => a.GetProperty("alias").GetString() == "champion" && a.GetProperty("version").GetString() == "1");
        }

        // A new version registered and the alias moved through this server's own API: the served model follows.
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "models", "register", "iris", Model("iris_random_forest.onnx"), "--columns", Columns)).ShouldSucceed();
        using (var alias = await PostAsync(http, "/api/2.0/mlflow/registered-models/alias", """{"name": "iris", "alias": "champion", "version": "2"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        }

        await WaitForAsync(async () => (await http.GetStringAsync("/api/slipway/serving/models")).Contains("\"live_version\":\"2\"", StringComparison.Ordinal), server, "the alias move was not followed");
        using (var v2 = await PostAsync(http, "/v2/models/iris/infer", V2Request))
        {
            Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
            Assert.Equal("2", (await JsonAsync(v2)).GetProperty("model_version").GetString());
        }

        Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Server_with_a_model_it_cannot_find_reports_it_and_is_not_ready()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var data = work.Combine("server-data");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", data, "models", "register", "iris", Model("iris_logreg.onnx"), "--columns", Columns)).ShouldSucceed();

        await using var server = await ServerProcess.StartAsync(work.Path, null, "--registry", data, "--serve", "models:/iris@champion", "--poll-interval", "0.05");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };

        // The registry works while the model waits for its alias; scoring says why it cannot answer yet.
        using (var search = await http.GetAsync("/api/2.0/mlflow/registered-models/search?max_results=10"))
        {
            Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        }

        using (var ready = await http.GetAsync("/v2/health/ready"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, ready.StatusCode);
        }

        using (var scoring = await PostAsync(http, "/invocations", SplitRequest))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, scoring.StatusCode);
            Assert.Equal("TEMPORARILY_UNAVAILABLE", (await JsonAsync(scoring)).GetProperty("error_code").GetString());
        }

        // Setting the alias through the server makes the model load.
        using (var alias = await PostAsync(http, "/api/2.0/mlflow/registered-models/alias", """{"name": "iris", "alias": "champion", "version": "1"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        }

        await WaitForAsync(() => ReadyAsync(http), server, "the model did not load once its alias was set");
        using var scored = await PostAsync(http, "/invocations", SplitRequest);
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
    }

    private static string Model(string file) => RepoPaths.Combine("testdata", "models", file);

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<bool> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/v2/health/ready");
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, ServerProcess server, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{failure}:\n{server.Output}");
            await Task.Delay(50);
        }
    }
}
