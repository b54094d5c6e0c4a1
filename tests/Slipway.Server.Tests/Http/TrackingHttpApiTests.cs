using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Http;

/// <summary>The tracking half of the HTTP surface: both id spellings, query-vs-body, MLflow's number encodings, and every bad input as a 4xx naming the problem.</summary>
public sealed class TrackingHttpApiTests : IAsyncLifetime
{
    private const string Api = "/api/2.0/mlflow/";
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("runs/update", """{"status": "FINISHED"}""")]
    [InlineData("runs/delete", "{}")]
    [InlineData("runs/restore", "{}")]
    [InlineData("runs/log-metric", """{"key": "m", "value": 1, "timestamp": 1}""")]
    [InlineData("runs/log-parameter", """{"key": "p", "value": "1"}""")]
    [InlineData("runs/set-tag", """{"key": "t", "value": "1"}""")]
    [InlineData("runs/delete-tag", """{"key": "t"}""")]
    [InlineData("runs/log-batch", """{"metrics": []}""")]
    [InlineData("runs/log-inputs", """{"datasets": []}""")]
    public async Task Missing_run_id_is_400_naming_run_id(string path, string json)
    {
        var message = await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + path, json), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.StartsWith("Missing value for required parameter 'run_id'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runs/get")]
    [InlineData("metrics/get-history?metric_key=m")]
    [InlineData("artifacts/list")]
    public async Task Missing_run_id_in_the_query_is_400(string path)
    {
        var message = await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + path), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'run_id'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "experiments/create", "{}", "name")]
    [InlineData("POST", "experiments/update", """{"experiment_id": "0"}""", "new_name")]
    [InlineData("POST", "experiments/delete", "{}", "experiment_id")]
    [InlineData("POST", "experiments/set-experiment-tag", """{"experiment_id": "0", "value": "v"}""", "key")]
    [InlineData("POST", "experiments/set-experiment-tag", """{"experiment_id": "0", "key": "k"}""", "value")]
    [InlineData("POST", "runs/create", "{}", "experiment_id")]
    [InlineData("GET", "experiments/get", "", "experiment_id")]
    [InlineData("GET", "experiments/get-by-name", "", "experiment_name")]
    public async Task Missing_experiment_fields_are_400_naming_the_field(string method, string path, string json, string field)
    {
        var response = method == "GET" ? await server.Http.GetAsync(Api + path) : await server.SendJsonAsync(HttpMethod.Post, Api + path, json);
        var message = await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"key": "m", "timestamp": 1}""", "value")]
    [InlineData("""{"key": "m", "value": 1}""", "timestamp")]
    [InlineData("""{"value": 1, "timestamp": 1}""", "key")]
    public async Task Log_metric_without_a_required_field_is_400_naming_it(string fields, string field)
    {
        var runId = await NewRunAsync();
        var json = fields.Insert(1, $"\"run_id\": \"{runId}\", ");
        var message = await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-metric", json), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_runs_and_experiments_are_404()
    {
        var runId = Guid.NewGuid().ToString("N");
        var message = await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "runs/get?run_id=" + runId), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal($"Run with id={runId} not found", message);
        await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-metric", $$"""{"run_id": "{{runId}}", "key": "m", "value": 1, "timestamp": 1}"""), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + $"metrics/get-history?run_id={runId}&metric_key=m"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "artifacts/list?run_id=" + runId), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "experiments/get?experiment_id=424242"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "experiments/get-by-name?experiment_name=" + Names.Unique("nope")), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/create", """{"experiment_id": "424242"}"""), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [InlineData("metrics", 1001)]
    [InlineData("params", 101)]
    [InlineData("tags", 101)]
    public async Task Oversized_batches_are_400_naming_the_list(string list, int count)
    {
        var runId = await NewRunAsync();
        var items = Enumerable.Range(0, count).Select(i => list == "metrics"
            ? $$"""{"key": "m{{i}}", "value": {{i}}, "timestamp": 1, "step": 0}"""
            : $$"""{"key": "k{{i}}", "value": "v"}""");
        var json = $$"""{"run_id": "{{runId}}", "{{list}}": [{{string.Join(',', items)}}]}""";
        var message = await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-batch", json), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains(list, message, StringComparison.Ordinal);
        var run = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + "runs/get?run_id=" + runId));
        Assert.False(run.GetProperty("run").GetProperty("data").TryGetProperty("metrics", out _), "a rejected batch writes nothing");
    }

    [Fact]
    public async Task Too_long_keys_and_values_and_bad_key_characters_are_400()
    {
        var runId = await NewRunAsync();
        var longKey = new string('k', 251);
        var message = await JsonAssert.ErrorAsync(await LogParamAsync(runId, longKey, "1"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("key", message, StringComparison.Ordinal);
        message = await JsonAssert.ErrorAsync(await LogParamAsync(runId, "p", new string('v', 6001)), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("6000", message, StringComparison.Ordinal);
        message = await JsonAssert.ErrorAsync(await LogParamAsync(runId, "bad!key", "1"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("bad!key", message, StringComparison.Ordinal);
        message = await JsonAssert.ErrorAsync(
            await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-batch", $$"""{"run_id": "{{runId}}", "metrics": [{"key": "../up", "value": 1, "timestamp": 1}]}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE");
        Assert.Contains("../up", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_a_param_and_logging_to_a_deleted_run_are_400()
    {
        var runId = await NewRunAsync();
        await JsonAssert.OkAsync(await LogParamAsync(runId, "lr", "0.01"));
        await JsonAssert.OkAsync(await LogParamAsync(runId, "lr", "0.01"));
        var message = await JsonAssert.ErrorAsync(await LogParamAsync(runId, "lr", "0.02"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("lr", message, StringComparison.Ordinal);
        Assert.Contains("0.02", message, StringComparison.Ordinal);

        await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/delete", $$"""{"run_id": "{{runId}}"}"""));
        await JsonAssert.ErrorAsync(await LogParamAsync(runId, "other", "1"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        await JsonAssert.ErrorAsync(
            await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-metric", $$"""{"run_id": "{{runId}}", "key": "m", "value": 1, "timestamp": 1}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [InlineData("""{"filter": "metrics.acc >> 1"}""", "metrics.acc")]
    [InlineData("""{"filter": "nonsense.key = 1"}""", "nonsense")]
    [InlineData("""{"order_by": ["metrics.acc SIDEWAYS"]}""", "SIDEWAYS")]
    [InlineData("""{"run_view_type": "SOME"}""", "run_view_type")]
    [InlineData("""{"max_results": 0}""", "max_results")]
    [InlineData("""{"max_results": 50001}""", "max_results")]
    [InlineData("""{"max_results": "lots"}""", "max_results")]
    public async Task Bad_run_searches_are_400_naming_the_problem(string fields, string named)
    {
        var experimentId = await NewExperimentAsync();
        var json = fields.Insert(1, $"\"experiment_ids\": [\"{experimentId}\"], ");
        var message = await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/search", json), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("view_type=SOMETIMES", "view_type")]
    [InlineData("max_results=abc", "max_results")]
    [InlineData("max_results=0", "max_results")]
    [InlineData("filter=name%20~%20'x'", "~")]
    [InlineData("order_by=colour%20ASC", "colour")]
    public async Task Bad_experiment_searches_are_400(string query, string named)
    {
        var message = await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "experiments/search?" + query), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"run_id": """)]
    [InlineData("[1]")]
    [InlineData("""{"run_id": {"a": 1}}""")]
    [InlineData("""{"run_id": "x", "metrics": {"key": "m"}}""")]
    [InlineData("""{"run_id": "x", "metrics": [{"key": "m", "value": "high", "timestamp": 1}]}""")]
    public async Task Malformed_log_batch_bodies_are_400(string json) =>
        await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-batch", json), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

    [Fact]
    public async Task NaN_is_accepted_and_infinity_is_clamped_on_the_wire()
    {
        var runId = await NewRunAsync();
        var batch = $$"""{"run_id": "{{runId}}", "metrics": [{"key": "nan", "value": "NaN", "timestamp": 1}, {"key": "inf", "value": "Infinity", "timestamp": 1}, {"key": "ninf", "value": "-Infinity", "timestamp": "2", "step": "3"}]}""";
        await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-batch", batch));

        var metrics = (await JsonAssert.OkAsync(await server.Http.GetAsync(Api + "runs/get?run_id=" + runId)))
            .GetProperty("run").GetProperty("data").GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("key").GetString()!, m => m.GetProperty("value"));
        Assert.Equal("NaN", metrics["nan"].GetString());
        Assert.Equal(double.MaxValue, metrics["inf"].GetDouble());
        Assert.Equal(-double.MaxValue, metrics["ninf"].GetDouble());

        var history = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + $"metrics/get-history?run_uuid={runId}&metric_key=ninf"));
        var point = Assert.Single(history.GetProperty("metrics").EnumerateArray());
        Assert.Equal(2, point.GetProperty("timestamp").GetInt64());
        Assert.Equal(3, point.GetProperty("step").GetInt64());
    }

    [Fact]
    public async Task Run_uuid_alone_and_numeric_ids_and_timestamps_are_accepted()
    {
        var created = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "experiments/create", $$"""{"name": "{{Names.Unique("num")}}"}"""));
        var experimentId = long.Parse(created.GetProperty("experiment_id").GetString()!, CultureInfo.InvariantCulture);
        var run = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/create", $$"""{"experiment_id": {{experimentId}}, "start_time": "1700000000000"}"""));
        var info = run.GetProperty("run").GetProperty("info");
        Assert.Equal(1_700_000_000_000, info.GetProperty("start_time").GetInt64());
        var runId = info.GetProperty("run_id").GetString();

        await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/set-tag", $$"""{"run_uuid": "{{runId}}", "key": "k", "value": "v"}"""));
        var updated = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/update", $$"""{"run_uuid": "{{runId}}", "status": "KILLED", "end_time": 1700000000500}"""));
        Assert.Equal("KILLED", updated.GetProperty("run_info").GetProperty("status").GetString());
        Assert.Equal(1_700_000_000_500, updated.GetProperty("run_info").GetProperty("end_time").GetInt64());
        var fetched = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + "runs/get?run_uuid=" + runId));
        Assert.Contains(
            fetched.GetProperty("run").GetProperty("data").GetProperty("tags").EnumerateArray(),
            t => t.GetProperty("key").GetString() == "k" && t.GetProperty("value").GetString() == "v");

        var message = await JsonAssert.ErrorAsync(
            await server.SendJsonAsync(HttpMethod.Post, Api + "runs/update", $$"""{"run_id": "{{runId}}", "status": "DONE"}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE");
        Assert.Contains("'status'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_user_of_a_run_is_the_body_user_else_the_header_user()
    {
        var experimentId = await NewExperimentAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Api + "runs/create")
        {
            Content = new StringContent($$"""{"experiment_id": "{{experimentId}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Slipway-User", Uri.EscapeDataString("ana maría"));
        var fromHeader = await JsonAssert.OkAsync(await server.Http.SendAsync(request));
        Assert.Equal("ana maría", fromHeader.GetProperty("run").GetProperty("info").GetProperty("user_id").GetString());

        var fromBody = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/create", $$"""{"experiment_id": "{{experimentId}}", "user_id": "notebook"}"""));
        Assert.Equal("notebook", fromBody.GetProperty("run").GetProperty("info").GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task Experiment_search_works_as_get_with_repeated_order_by_and_as_post_and_on_the_ajax_prefix()
    {
        var prefix = Names.Unique("srch");
        foreach (var suffix in new[] { "a", "b" })
        {
            await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/ajax-api/2.0/mlflow/experiments/create", $$"""{"name": "{{prefix}}-{{suffix}}"}"""));
        }

        var filter = Uri.EscapeDataString($"name LIKE '{prefix}-%'");
        var viaGet = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + $"experiments/search?filter={filter}&order_by=name%20DESC&order_by=experiment_id&max_results=10&view_type=ALL"));
        Assert.Equal([$"{prefix}-b", $"{prefix}-a"], viaGet.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));

        var viaPost = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/ajax-api/2.0/mlflow/experiments/search", $$"""{"filter": "name LIKE '{{prefix}}-%'", "order_by": ["name ASC"], "max_results": 1}"""));
        Assert.Equal([$"{prefix}-a"], viaPost.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.False(string.IsNullOrEmpty(viaPost.GetProperty("next_page_token").GetString()));
    }

    [Fact]
    public async Task Run_search_over_get_takes_repeated_experiment_ids()
    {
        var first = await NewExperimentAsync();
        var second = await NewExperimentAsync();
        var runs = new List<string>();
        foreach (var experimentId in new[] { first, second })
        {
            var run = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/create", $$"""{"experiment_id": "{{experimentId}}", "start_time": {{1_700_000_000_000 + runs.Count}}}"""));
            runs.Add(run.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!);
        }

        var both = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + $"runs/search?experiment_ids={first}&experiment_ids={second}&order_by=attributes.start_time%20ASC"));
        Assert.Equal(runs, both.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("info").GetProperty("run_id").GetString()));
        var one = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + $"runs/search?experiment_ids={second}&max_results=5"));
        Assert.Equal([runs[1]], one.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("info").GetProperty("run_id").GetString()));
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + $"runs/search?experiment_ids={first}&run_view_type=NEVER"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Run_artifacts_uploaded_through_the_proxy_are_listed_with_the_root_uri()
    {
        var run = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/create", $$"""{"experiment_id": "{{await NewExperimentAsync()}}"}"""));
        var info = run.GetProperty("run").GetProperty("info");
        var runId = info.GetProperty("run_id").GetString();
        var root = info.GetProperty("artifact_uri").GetString()!;
        using (var upload = new StringContent("hello"))
        {
            (await server.Http.PutAsync("/api/2.0/mlflow-artifacts/artifacts/" + root["mlflow-artifacts:/".Length..] + "/notes/hello.txt", upload)).EnsureSuccessStatusCode();
        }

        var listed = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + "artifacts/list?run_uuid=" + runId));
        Assert.Equal(root, listed.GetProperty("root_uri").GetString());
        var directory = Assert.Single(listed.GetProperty("files").EnumerateArray());
        Assert.Equal("notes", directory.GetProperty("path").GetString());
        Assert.True(directory.GetProperty("is_dir").GetBoolean());

        var nested = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + $"artifacts/list?run_id={runId}&path=notes"));
        var file = Assert.Single(nested.GetProperty("files").EnumerateArray());
        Assert.Equal("notes/hello.txt", file.GetProperty("path").GetString());
        Assert.Equal(5, file.GetProperty("file_size").GetInt64());

        var empty = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + $"artifacts/list?run_id={runId}&path=nothing-here"));
        Assert.False(empty.TryGetProperty("files", out _));
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + $"artifacts/list?run_id={runId}&path=..%2F..%2Fetc"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task A_long_history_streams_back_complete_and_equal_to_the_serializer_output()
    {
        var runId = await NewRunAsync();
        var rng = new Random(7);
        var values = new List<double>();
        for (var batch = 0; batch < 6; batch++)
        {
            var items = Enumerable.Range(0, 1000).Select(i =>
            {
                var value = batch == 0 && i == 0 ? double.NaN : Math.Round(rng.NextDouble() * 1e6, 6) / 7;
                values.Add(value);
                var literal = double.IsNaN(value) ? "\"NaN\"" : value.ToString("R", CultureInfo.InvariantCulture);
                return $$"""{"key": "long", "value": {{literal}}, "timestamp": {{1000 + (batch * 1000) + i}}, "step": {{(batch * 1000) + i}}}""";
            });
            await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-batch", $$"""{"run_id": "{{runId}}", "metrics": [{{string.Join(',', items)}}]}"""));
        }

        var body = await server.Http.GetStringAsync(Api + $"metrics/get-history?run_id={runId}&metric_key=long");
        using var document = JsonDocument.Parse(body);
        var points = document.RootElement.GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(6000, points.Count);
        Assert.Equal("NaN", points[0].GetProperty("value").GetString());
        for (var i = 1; i < points.Count; i++)
        {
            Assert.Equal(values[i], points[i].GetProperty("value").GetDouble());
            Assert.Equal(i, points[i].GetProperty("step").GetInt64());
        }

        // The hand-written writer must say exactly what the source-generated serializer would.
        var viaSerializer = JsonSerializer.Deserialize(body, Slipway.Mlflow.MlflowJsonContext.Default.MetricHistoryResponse)!;
        var reserialized = JsonSerializer.Serialize(viaSerializer, Slipway.Mlflow.MlflowJsonContext.Default.MetricHistoryResponse);
        Assert.Equal(reserialized, body);
    }

    [Fact]
    public async Task Log_model_appends_to_the_runs_model_history_without_the_signature()
    {
        var runId = await NewRunAsync();
        foreach (var path in new[] { "model", "model-2" })
        {
            var model = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["artifact_path"] = path,
                ["flavors"] = new Dictionary<string, object> { ["onnx"] = new Dictionary<string, string> { ["data"] = "model.onnx" } },
                ["utc_time_created"] = "2026-11-26 10:00:00.000000",
                ["run_id"] = runId,
                ["signature"] = new Dictionary<string, string> { ["inputs"] = "[]" },
            });
            await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-model", JsonSerializer.Serialize(new Dictionary<string, string> { ["run_id"] = runId, ["model_json"] = model })));
        }

        var run = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + "runs/get?run_id=" + runId));
        var history = run.GetProperty("run").GetProperty("data").GetProperty("tags").EnumerateArray()
            .Single(t => t.GetProperty("key").GetString() == "mlflow.log-model.history").GetProperty("value").GetString()!;
        using var models = JsonDocument.Parse(history);
        Assert.Equal(["model", "model-2"], models.RootElement.EnumerateArray().Select(m => m.GetProperty("artifact_path").GetString()));
        Assert.All(models.RootElement.EnumerateArray(), m => Assert.False(m.TryGetProperty("signature", out _)));
        Assert.Equal("model.onnx", models.RootElement[0].GetProperty("flavors").GetProperty("onnx").GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("not json", "Malformed model info")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("""{"artifact_path": "model", "flavors": {}}""", "missing mandatory fields: utc_time_created, run_id")]
    public async Task Log_model_with_bad_model_json_is_400_and_changes_nothing(string modelJson, string expected)
    {
        var runId = await NewRunAsync();
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["run_id"] = runId, ["model_json"] = modelJson });
        var message = await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-model", body), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains(expected, message, StringComparison.Ordinal);
        var run = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + "runs/get?run_id=" + runId));
        Assert.DoesNotContain("mlflow.log-model.history", run.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_model_needs_run_id_and_model_json_and_a_known_run()
    {
        var runId = await NewRunAsync();
        var message = await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-model", $$"""{"run_id": "{{runId}}"}"""), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'model_json'", message, StringComparison.Ordinal);
        await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-model", """{"model_json": "{}"}"""), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var model = JsonSerializer.Serialize(new Dictionary<string, object> { ["artifact_path"] = "m", ["flavors"] = new Dictionary<string, string>(), ["utc_time_created"] = "t", ["run_id"] = "x" });
        var unknown = Guid.NewGuid().ToString("N");
        await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-model", JsonSerializer.Serialize(new Dictionary<string, string> { ["run_id"] = unknown, ["model_json"] = model })), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    private async Task<HttpResponseMessage> LogParamAsync(string runId, string key, string value) =>
        await server.SendJsonAsync(HttpMethod.Post, Api + "runs/log-parameter", JsonSerializer.Serialize(new Dictionary<string, string> { ["run_id"] = runId, ["key"] = key, ["value"] = value }));

    private async Task<string> NewExperimentAsync()
    {
        var created = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "experiments/create", $$"""{"name": "{{Names.Unique("http")}}"}"""));
        return created.GetProperty("experiment_id").GetString()!;
    }

    private async Task<string> NewRunAsync()
    {
        var run = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "runs/create", $$"""{"experiment_id": "{{await NewExperimentAsync()}}"}"""));
        return run.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }
}
