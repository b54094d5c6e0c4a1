using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Slipway.Server.Tests.Support;

namespace Slipway.Server.Tests.Http;

/// <summary>The HTTP surface itself: verbs, query-vs-body, status codes and error bodies for bad input.</summary>
public sealed class HttpApiTests : IAsyncLifetime
{
    private const string Api = "/api/2.0/mlflow/";
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Health_ping_and_version_answer()
    {
        var health = await server.Http.GetAsync("/health");
        Assert.Equal("OK", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/ping")).StatusCode);
        var version = await server.Http.GetStringAsync("/version");
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
    }

    [Fact]
    public async Task Create_answers_mlflow_shape_and_duplicate_is_400()
    {
        var name = Names.Unique("http");
        var body = await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "registered-models/create", $$"""{"name": "{{name}}"}"""));
        var model = body.GetProperty("registered_model");
        Assert.Equal(name, model.GetProperty("name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, model.GetProperty("creation_timestamp").ValueKind);
        Assert.False(model.TryGetProperty("tags", out _), "empty lists are left out, as MLflow does");
        Assert.False(model.TryGetProperty("description", out _));

        var message = await JsonAssert.ErrorAsync(
            await server.SendJsonAsync(HttpMethod.Post, Api + "registered-models/create", $$"""{"name": "{{name}}"}"""),
            HttpStatusCode.BadRequest,
            "RESOURCE_ALREADY_EXISTS");
        Assert.Contains(name, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ajax_api_prefix_serves_the_same_endpoints()
    {
        var name = Names.Unique("ajax");
        await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, "/ajax-api/2.0/mlflow/registered-models/create", $$"""{"name": "{{name}}"}"""));
        var body = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + "registered-models/get?name=" + name));
        Assert.Equal(name, body.GetProperty("registered_model").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_model_is_404_resource_does_not_exist()
    {
        var message = await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "registered-models/get?name=nope-" + Guid.NewGuid().ToString("N")), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Contains("nope-", message, StringComparison.Ordinal);
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "model-versions/get?name=nope&version=1"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "registered-models/alias?name=nope&alias=champion"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [InlineData("POST", "registered-models/create", "{}", "name")]
    [InlineData("POST", "registered-models/create", "", "name")]
    [InlineData("POST", "registered-models/rename", """{"name": "a"}""", "new_name")]
    [InlineData("DELETE", "registered-models/delete", "{}", "name")]
    [InlineData("POST", "registered-models/set-tag", """{"name": "a", "value": "v"}""", "key")]
    [InlineData("POST", "model-versions/create", """{"name": "a"}""", "source")]
    [InlineData("POST", "registered-models/alias", """{"name": "a", "alias": "x"}""", "version")]
    [InlineData("DELETE", "model-versions/delete", """{"name": "a"}""", "version")]
    [InlineData("POST", "model-versions/set-tag", """{"name": "a", "version": "1", "value": "v"}""", "key")]
    public async Task Missing_required_fields_are_400_naming_the_field(string method, string path, string json, string field)
    {
        var message = await JsonAssert.ErrorAsync(await server.SendJsonAsync(new HttpMethod(method), Api + path, json), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "registered-models/get", "name")]
    [InlineData("GET", "model-versions/get?name=a", "version")]
    [InlineData("GET", "registered-models/alias?name=a", "alias")]
    [InlineData("GET", "model-versions/get-download-uri?version=1", "name")]
    public async Task Missing_query_parameters_are_400_naming_the_parameter(string method, string path, string field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Api + path);
        var message = await JsonAssert.ErrorAsync(await server.Http.SendAsync(request), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\": ", null)]
    [InlineData("[1, 2]", null)]
    [InlineData("not json", null)]
    [InlineData("{\"name\": {\"nested\": 1}}", "name")]
    [InlineData("{\"name\": 12}", "name")]
    [InlineData("{\"name\": \"a\", \"tags\": \"x\"}", "tags")]
    public async Task Malformed_json_and_wrong_types_are_400(string json, string? field)
    {
        var message = await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "registered-models/create", json), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        if (field is not null)
        {
            Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{\"name\": \"a\", \"alias\": \"x\", \"version\": {\"v\": 1}}", "version")]
    [InlineData("{\"name\": \"a\", \"alias\": \"x\", \"version\": true}", "version")]
    [InlineData("{\"name\": \"a\", \"alias\": \"x\", \"version\": \"one\"}", "version")]
    [InlineData("{\"name\": \"a\", \"alias\": \"x\", \"version\": \"-1\"}", "version")]
    public async Task Bad_versions_are_400_naming_version(string json, string field)
    {
        var message = await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "registered-models/alias", json), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains(field, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_as_a_json_number_is_accepted()
    {
        var name = Names.Unique("num");
        await JsonAssert.OkAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "registered-models/create", $$"""{"name": "{{name}}"}"""));
        // Version 1 does not exist: the number parsed, and the registry looked it up.
        await JsonAssert.ErrorAsync(await server.SendJsonAsync(HttpMethod.Post, Api + "registered-models/alias", $$"""{"name": "{{name}}", "alias": "x", "version": 1}"""), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Bad_search_parameters_are_400()
    {
        var big = await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "registered-models/search?max_results=1001"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("max_results", big, StringComparison.Ordinal);
        var text = await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "model-versions/search?max_results=lots"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("max_results", text, StringComparison.Ordinal);
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "model-versions/search?max_results=200001"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var empty = await JsonAssert.OkAsync(await server.Http.GetAsync(Api + "registered-models/search?filter=" + Uri.EscapeDataString("name='none-" + Guid.NewGuid().ToString("N") + "'")));
        Assert.False(empty.TryGetProperty("registered_models", out _), "an empty page is {} as in MLflow");
    }

    [Fact]
    public async Task Oversized_json_body_is_413()
    {
        var json = "{\"name\": \"" + new string('x', (int)SlipwayServerHost.MaxJsonBodyBytes + 10) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, Api + "registered-models/create") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        // Waiting for "100 Continue" lets the server refuse before the body is sent, instead of racing a closed socket.
        request.Headers.ExpectContinue = true;
        await JsonAssert.ErrorAsync(await server.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "REQUEST_LIMIT_EXCEEDED");
    }

    [Fact]
    public async Task Unknown_api_routes_are_404_endpoint_not_found()
    {
        await JsonAssert.ErrorAsync(await server.Http.GetAsync(Api + "registered-models/frobnicate"), HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
        await JsonAssert.ErrorAsync(await server.Http.GetAsync("/api/2.0/nothing"), HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
        await JsonAssert.ErrorAsync(await server.Http.DeleteAsync(Api + "registered-models/get?name=x"), HttpStatusCode.MethodNotAllowed, "ENDPOINT_NOT_FOUND");
    }

    [Fact]
    public async Task Artifact_upload_larger_than_the_json_limit_streams_through_and_downloads_intact()
    {
        var path = Names.Unique("big") + "/model/weights.bin";
        var bytes = new byte[(int)SlipwayServerHost.MaxJsonBodyBytes + (3 * 1024 * 1024)];
        new Random(42).NextBytes(bytes);
        using (var content = new StreamContent(new MemoryStream(bytes)))
        {
            var put = await server.Http.PutAsync("/api/2.0/mlflow-artifacts/artifacts/" + path, content);
            Assert.Equal("{}", await put.Content.ReadAsStringAsync());
        }

        var downloaded = await server.Http.GetByteArrayAsync("/api/2.0/mlflow-artifacts/artifacts/" + path);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(downloaded));

        var listing = await JsonAssert.OkAsync(await server.Http.GetAsync("/api/2.0/mlflow-artifacts/artifacts?path=" + Uri.EscapeDataString(path[..path.LastIndexOf('/')])));
        var file = Assert.Single(listing.GetProperty("files").EnumerateArray());
        Assert.Equal("weights.bin", file.GetProperty("path").GetString());
        Assert.False(file.GetProperty("is_dir").GetBoolean());
        Assert.Equal(bytes.Length, file.GetProperty("file_size").GetInt64());
    }

    [Theory]
    [InlineData("a%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("a/%5C..%5Cb")]
    [InlineData("a/..%5Cb")]
    public async Task Artifact_traversal_paths_are_400(string escaped)
    {
        using var content = new StringContent("x");
        await JsonAssert.ErrorAsync(await server.Http.PutAsync("/api/2.0/mlflow-artifacts/artifacts/" + escaped, content), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        await JsonAssert.ErrorAsync(await server.Http.GetAsync("/api/2.0/mlflow-artifacts/artifacts/" + escaped), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("/etc")]
    [InlineData("a/../../b")]
    public async Task Artifact_listing_traversal_is_400(string path)
    {
        await JsonAssert.ErrorAsync(await server.Http.GetAsync("/api/2.0/mlflow-artifacts/artifacts?path=" + Uri.EscapeDataString(path)), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Raw_dot_dot_segments_never_reach_a_file()
    {
        // HttpClient would collapse '..' before sending; a raw request shows what a hostile client gets.
        using var socket = new TcpClient();
        await socket.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port);
        var stream = socket.GetStream();
        var request = $"GET /api/2.0/mlflow-artifacts/artifacts/../../../etc/passwd HTTP/1.1\r\nHost: {server.BaseUri.Authority}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync();
        var status = int.Parse(answer.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(status is 400 or 404, answer);
        Assert.DoesNotContain("root:", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alias_history_endpoint_lists_moves_with_user_and_reason()
    {
        var name = Names.Unique("hist");
        using var client = server.Client("alice");
        await client.CreateRegisteredModelAsync(name, null, null, CancellationToken.None);
        var prefix = Names.Unique("run") + "/model";
        await client.UploadArtifactAsync(prefix + "/MLmodel", new MemoryStream("m"u8.ToArray()), CancellationToken.None);
        await client.CreateModelVersionAsync(new(name, "mlflow-artifacts:/" + prefix, "", "", "", "", new Dictionary<string, string>()), CancellationToken.None);
        await server.SendJsonAsync(HttpMethod.Post, Api + "registered-models/alias", $$"""{"name": "{{name}}", "alias": "champion", "version": "1", "reason": "ship it"}""");

        var body = await JsonAssert.OkAsync(await server.Http.GetAsync($"/api/slipway/models/{name}/aliases/history?alias=champion"));
        var entry = Assert.Single(body.GetProperty("history").EnumerateArray());
        Assert.Equal("1", entry.GetProperty("to_version").GetString());
        Assert.False(entry.TryGetProperty("from_version", out _));
        Assert.Equal("ship it", entry.GetProperty("reason").GetString());
        await JsonAssert.ErrorAsync(await server.Http.GetAsync("/api/slipway/models/nope-x/aliases/history"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task User_header_is_recorded_as_the_version_creator()
    {
        var name = Names.Unique("user");
        using var client = server.Client("bob smith");
        await client.CreateRegisteredModelAsync(name, null, null, CancellationToken.None);
        var prefix = Names.Unique("run") + "/model";
        await client.UploadArtifactAsync(prefix + "/MLmodel", new MemoryStream("m"u8.ToArray()), CancellationToken.None);
        var version = await client.CreateModelVersionAsync(new(name, "mlflow-artifacts:/" + prefix, "", "", "", "", new Dictionary<string, string>()), CancellationToken.None);
        Assert.Equal("bob smith", version.UserId);
    }
}
