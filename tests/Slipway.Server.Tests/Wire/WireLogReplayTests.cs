using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Server.Tests.Support;
using Slipway.Testing;

namespace Slipway.Server.Tests.Wire;

/// <summary>
/// Replays what the official MLflow client sent to a real MLflow server (testdata/mlflow/mlflow-client-wire-log.jsonl)
/// against a Slipway server, and checks status codes and answers against what MLflow answered: same field names in the
/// same order, same JSON types, same values (timestamps excepted). The log truncates long answers; those are compared
/// up to the cut.
/// </summary>
public sealed partial class WireLogReplayTests : IAsyncLifetime
{
    private const string LoggedModel = "model-1795689714";
    private const string LoggedRun = "c9ee9442537b4ed3b33d5917c2628cd9";
    private const string LoggedExperiment = "probe-1795689712";

    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Registry_and_artifact_calls_of_the_mlflow_client_get_mlflow_answers()
    {
        var model = Names.Unique("model");
        var run = Guid.NewGuid().ToString("N");
        var entries = LoadEntries().Where(e => IsRegistryOrArtifact(e.Path)).ToList();
        Assert.True(entries.Count >= 10, "the log holds the registry conversation");

        foreach (var entry in entries)
        {
            string Substitute(string text) => text.Replace(LoggedModel, model, StringComparison.Ordinal).Replace(LoggedRun, run, StringComparison.Ordinal);

            using var request = new HttpRequestMessage(new HttpMethod(entry.Method), Substitute(entry.Path));
            if (entry.ContentType is not null)
            {
                request.Content = new StringContent(Substitute(entry.Body), Encoding.UTF8);
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(entry.ContentType);
            }

            using var response = await server.Http.SendAsync(request);
            var actual = await response.Content.ReadAsStringAsync();
            var what = $"{entry.Method} {entry.Path}";
            Assert.True(entry.Status == (int)response.StatusCode, $"{what}: expected {entry.Status}, got {(int)response.StatusCode}: {actual}");

            var expected = Substitute(entry.Response);
            if (TryParse(expected, out var complete))
            {
                AssertSameShape(complete, JsonDocument.Parse(actual).RootElement, what);
            }
            else
            {
                // Truncated in the log: the fields MLflow sent before the cut must come first, in order, with the same values.
                var expectedTokens = Tokens(expected);
                expectedTokens.RemoveAt(expectedTokens.Count - 1);
                var actualTokens = Tokens(actual);
                Assert.True(expectedTokens.Count > 2, what);
                Assert.Equal(expectedTokens, actualTokens.Take(expectedTokens.Count).ToList());
            }
        }
    }

    [Fact]
    public async Task The_whole_mlflow_client_conversation_tracking_included_gets_mlflow_answers()
    {
        // Names and ids the server chooses (run ids, generated run names, experiment ids) are learned from its answers
        // and substituted into the rest of the log; everything else must match what MLflow answered.
        var substitutions = new List<(string From, string To)>
        {
            (LoggedExperiment, Names.Unique("probe")),
            (LoggedModel, Names.Unique("model")),
        };
        string Substitute(string text)
        {
            foreach (var (from, to) in substitutions)
            {
                text = text.Replace(from, to, StringComparison.Ordinal);
            }

            return text;
        }

        var entries = LoadEntries().Where(e => e.Path != "/health").ToList();
        Assert.Contains(entries, e => e.Path.Contains("/runs/log-batch", StringComparison.Ordinal));
        foreach (var entry in entries)
        {
            using var request = new HttpRequestMessage(new HttpMethod(entry.Method), Substitute(entry.Path));
            if (entry.ContentType is not null)
            {
                request.Content = new StringContent(Substitute(entry.Body), Encoding.UTF8);
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(entry.ContentType);
            }

            using var response = await server.Http.SendAsync(request);
            var actual = await response.Content.ReadAsStringAsync();
            var what = $"{entry.Method} {entry.Path}";
            Assert.True(entry.Status == (int)response.StatusCode, $"{what}: expected {entry.Status}, got {(int)response.StatusCode}: {actual}");

            if (entry.Path.EndsWith("/experiments/create", StringComparison.Ordinal))
            {
                var id = JsonDocument.Parse(actual).RootElement.GetProperty("experiment_id").GetString()!;
                substitutions.Add(("\"experiment_id\": \"1\"", $"\"experiment_id\": \"{id}\""));
                substitutions.Add(("experiment_id=1", $"experiment_id={id}"));
                substitutions.Add(("[\"1\"]", $"[\"{id}\"]"));
                substitutions.Add(("mlflow-artifacts:/1", $"mlflow-artifacts:/{id}"));
                substitutions.Add(("/artifacts/1/", $"/artifacts/{id}/"));
            }
            else if (entry.Path.EndsWith("/runs/create", StringComparison.Ordinal))
            {
                var info = JsonDocument.Parse(actual).RootElement.GetProperty("run").GetProperty("info");
                substitutions.Add((LoggedValue(entry.Response, "run_uuid"), info.GetProperty("run_id").GetString()!));
                substitutions.Add((LoggedValue(entry.Response, "run_name"), info.GetProperty("run_name").GetString()!));
            }

            var expected = Substitute(entry.Response);
            if (TryParse(expected, out var complete))
            {
                AssertSameShape(complete, JsonDocument.Parse(actual).RootElement, what);
            }
            else
            {
                var expectedTokens = Tokens(expected);
                expectedTokens.RemoveAt(expectedTokens.Count - 1);
                var actualTokens = Tokens(actual);
                Assert.True(expectedTokens.Count > 2, what);
                Assert.Equal(expectedTokens, actualTokens.Take(expectedTokens.Count).ToList());
            }
        }
    }

    [Fact]
    public async Task Run_answers_carry_both_ids_empty_data_and_inputs_and_upper_case_status()
    {
        var experiment = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/create", $$"""{"name": "{{Names.Unique("shape")}}"}"""));
        var experimentId = experiment.GetProperty("experiment_id").GetString();
        var created = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/runs/create", $$"""{"experiment_id": "{{experimentId}}", "run_name": "shape-run"}"""));
        var run = created.GetProperty("run");
        Assert.Equal(["info", "data", "inputs"], run.EnumerateObject().Select(p => p.Name));
        var info = run.GetProperty("info");
        Assert.Equal(
            ["run_uuid", "experiment_id", "run_name", "user_id", "status", "start_time", "artifact_uri", "lifecycle_stage", "run_id"],
            info.EnumerateObject().Select(p => p.Name));
        Assert.Equal(info.GetProperty("run_id").GetString(), info.GetProperty("run_uuid").GetString());
        Assert.Equal("RUNNING", info.GetProperty("status").GetString());
        Assert.Equal("active", info.GetProperty("lifecycle_stage").GetString());
        Assert.Equal(JsonValueKind.Number, info.GetProperty("start_time").ValueKind);
        Assert.Equal(JsonValueKind.Object, run.GetProperty("inputs").ValueKind);
        Assert.False(run.GetProperty("inputs").TryGetProperty("dataset_inputs", out _), "empty lists are left out");
        Assert.False(run.GetProperty("data").TryGetProperty("metrics", out _), "empty lists are left out");
        Assert.False(run.GetProperty("data").TryGetProperty("params", out _), "empty lists are left out");
        var tag = Assert.Single(run.GetProperty("data").GetProperty("tags").EnumerateArray());
        Assert.Equal("mlflow.runName", tag.GetProperty("key").GetString());

        var runId = info.GetProperty("run_id").GetString();
        await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/runs/log-metric", $$"""{"run_id": "{{runId}}", "key": "nan", "value": "NaN", "timestamp": 1}"""));
        var history = await JsonAssert.OkAsync(await server.Http.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=nan"));
        var point = Assert.Single(history.GetProperty("metrics").EnumerateArray());
        Assert.Equal("NaN", point.GetProperty("value").GetString());
        var fetched = await JsonAssert.OkAsync(await server.Http.GetAsync($"/api/2.0/mlflow/runs/get?run_id={runId}"));
        Assert.Equal("NaN", fetched.GetProperty("run").GetProperty("data").GetProperty("metrics")[0].GetProperty("value").GetString());

        var empty = await JsonAssert.OkAsync(await server.Http.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=never"));
        Assert.Empty(empty.EnumerateObject());
        var none = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/runs/search", $$"""{"experiment_ids": ["{{experimentId}}"], "filter": "metrics.nan > 1"}"""));
        Assert.Empty(none.EnumerateObject());
    }

    private static string LoggedValue(string json, string field)
    {
        var match = Regex.Match(json, $"\"{field}\":\\s*\"(?<value>[^\"]+)\"");
        Assert.True(match.Success, $"the log holds {field}");
        return match.Groups["value"].Value;
    }

    [Fact]
    public async Task Model_version_answers_carry_mlflow_defaults()
    {
        var model = Names.Unique("model");
        var run = Guid.NewGuid().ToString("N");
        using (var upload = new StringContent("hello"))
        {
            (await server.Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/1/{run}/artifacts/notes/hello.txt", upload)).EnsureSuccessStatusCode();
        }

        await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/registered-models/create", $$"""{"name": "{{model}}"}"""));
        var body = await JsonAssert.OkAsync(await server.SendJsonAsync(
            HttpMethod.Post,
            "/api/2.0/mlflow/model-versions/create",
            $$"""{"name": "{{model}}", "source": "mlflow-artifacts:/1/{{run}}/artifacts/notes", "run_id": "{{run}}"}"""));
        var version = body.GetProperty("model_version");
        Assert.Equal("1", version.GetProperty("version").GetString());
        Assert.Equal("None", version.GetProperty("current_stage").GetString());
        Assert.Equal("", version.GetProperty("description").GetString());
        Assert.Equal("READY", version.GetProperty("status").GetString());
        Assert.Equal(run, version.GetProperty("run_id").GetString());
        Assert.Equal("", version.GetProperty("run_link").GetString());
        Assert.Equal(JsonValueKind.Number, version.GetProperty("creation_timestamp").ValueKind);
        Assert.False(version.TryGetProperty("status_message", out _));
        Assert.False(version.TryGetProperty("aliases", out _));

        await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/registered-models/alias", $$"""{"name": "{{model}}", "alias": "champion", "version": "1"}"""));
        await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/api/2.0/mlflow/model-versions/set-tag", $$"""{"name": "{{model}}", "version": "1", "key": "q", "value": "1"}"""));
        var searched = await JsonAssert.OkAsync(await server.Http.GetAsync($"/api/2.0/mlflow/registered-models/search?filter=name%3D%27{model}%27&max_results=100"));
        var registered = Assert.Single(searched.GetProperty("registered_models").EnumerateArray());
        var alias = Assert.Single(registered.GetProperty("aliases").EnumerateArray());
        Assert.Equal("champion", alias.GetProperty("alias").GetString());
        Assert.Equal("1", alias.GetProperty("version").GetString());
        var latest = Assert.Single(registered.GetProperty("latest_versions").EnumerateArray());
        Assert.Equal("1", latest.GetProperty("version").GetString());

        var versions = await JsonAssert.OkAsync(await server.Http.GetAsync($"/api/2.0/mlflow/model-versions/search?filter=name%3D%27{model}%27&max_results=10000"));
        var found = Assert.Single(versions.GetProperty("model_versions").EnumerateArray());
        var tag = Assert.Single(found.GetProperty("tags").EnumerateArray());
        Assert.Equal("q", tag.GetProperty("key").GetString());
        Assert.Equal("1", tag.GetProperty("value").GetString());
        Assert.Equal(["champion"], found.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
    }

    private static bool IsRegistryOrArtifact(string path) =>
        path.Contains("/registered-models/", StringComparison.Ordinal)
        || path.Contains("/model-versions/", StringComparison.Ordinal)
        || path.Contains("/mlflow-artifacts/", StringComparison.Ordinal);

    private static List<LogEntry> LoadEntries()
    {
        var entries = new List<LogEntry>();
        foreach (var line in File.ReadLines(RepoPaths.Combine("testdata", "mlflow", "mlflow-client-wire-log.jsonl")))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            entries.Add(new LogEntry(
                root.GetProperty("method").GetString()!,
                root.GetProperty("path").GetString()!,
                root.GetProperty("ctype").GetString(),
                root.GetProperty("body").GetString()!,
                root.GetProperty("status").GetInt32(),
                root.GetProperty("resp").GetString()!));
        }

        return entries;
    }

    private static bool TryParse(string json, out JsonElement element)
    {
        try
        {
            element = JsonDocument.Parse(json).RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }

    private static void AssertSameShape(JsonElement expected, JsonElement actual, string what)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{what}: expected {expected.ValueKind}, got {actual.ValueKind}");
        if (expected.ValueKind == JsonValueKind.Object)
        {
            var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToList();
            var actualNames = actual.EnumerateObject().Select(p => p.Name).Where(n => n != "content_digest").ToList();
            Assert.Equal(expectedNames, actualNames);
            foreach (var property in expected.EnumerateObject())
            {
                AssertSameShape(property.Value, actual.GetProperty(property.Name), $"{what} .{property.Name}");
            }
        }
        else if (expected.ValueKind == JsonValueKind.String)
        {
            Assert.Equal(expected.GetString(), actual.GetString());
        }
    }

    /// <summary>"key=value" for strings, "key=#" for numbers, "key=[" / "key={" for containers, in order of appearance.</summary>
    private static List<string> Tokens(string json) =>
        TokenPattern().Matches(json)
            .Select(m => m.Groups["key"].Value + "=" + (m.Groups["value"].Value.StartsWith('"') ? m.Groups["value"].Value : char.IsDigit(m.Groups["value"].Value[0]) || m.Groups["value"].Value[0] == '-' ? "#" : m.Groups["value"].Value))
            .ToList();

    [GeneratedRegex("""\"(?<key>[a-z_]+)\":\s*(?<value>\"(?:[^\"\\]|\\.)*\"|-?\d+|\[|\{|true|false|null)""")]
    private static partial Regex TokenPattern();

    private sealed record LogEntry(string Method, string Path, string? ContentType, string Body, int Status, string Response);
}
