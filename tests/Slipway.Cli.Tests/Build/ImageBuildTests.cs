using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Build;

/// <summary>
/// The real thing: <c>slipway build</c> with buildah, then the image run with podman and asked for predictions over
/// MLflow <c>/invocations</c> and V2. podman runs with the host network here (the only kind that works on this
/// machine), so the container listens on a free port given by <c>SLIPWAY_URLS</c> instead of a <c>-p</c> mapping.
/// </summary>
public sealed class ImageBuildTests : IDisposable
{
    private const long MaxImageBytes = 150_000_000;

    private readonly TempDirectory work = SlipwayExecutable.NewWorkingDirectory();
    private readonly ContainerTools tools = new();
    private readonly List<string> containers = [];
    private readonly List<string> images = [];

    private string Registry => work.Combine("registry");

    public void Dispose()
    {
        foreach (var container in containers)
        {
            tools.PodmanAsync("rm", "-f", "-t", "0", container).GetAwaiter().GetResult();
        }

        foreach (var image in images)
        {
            tools.PodmanAsync("rmi", "-f", image).GetAwaiter().GetResult();
        }

        tools.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task Baked_image_serves_iris_over_both_protocols_is_small_and_rebuilds_to_the_same_layers()
    {
        var registered = (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "--output", "json", "models", "register", "iris", RegistryScenario.IrisModel)).ShouldSucceed();
        var digest = registered.Json().GetProperty("content_digest").GetString()!;

        // First build publishes slipway-serve from the sources; the second copies that publish: same inputs, same layers.
        var first = await BuildAsync("models:/iris/1", "ctx1", "slipway-iris:test", null);
        Assert.Equal("buildah", first.GetProperty("builder").GetString());
        var second = await BuildAsync("models:/iris/1", "ctx2", "slipway-iris:again", work.Combine("ctx1", "app"));
        Assert.Equal("slipway-iris:again", second.GetProperty("image").GetString());
        var layers = await tools.PodmanAsync("image", "inspect", "--format", "{{json .RootFS.Layers}}", "slipway-iris:test");
        Assert.Equal(layers, await tools.PodmanAsync("image", "inspect", "--format", "{{json .RootFS.Layers}}", "slipway-iris:again"));

        var size = long.Parse(await tools.PodmanAsync("image", "inspect", "--format", "{{.Size}}", "slipway-iris:test"), CultureInfo.InvariantCulture);
        Assert.True(size <= MaxImageBytes, $"image is {size} bytes, more than {MaxImageBytes}");
        Assert.Equal("10001:10001", await tools.PodmanAsync("image", "inspect", "--format", "{{.User}}", "slipway-iris:test"));
        var labels = JsonDocument.Parse(await tools.PodmanAsync("image", "inspect", "--format", "{{json .Labels}}", "slipway-iris:test")).RootElement;
        Assert.Equal("iris", labels.GetProperty("io.slipway.model.name").GetString());
        Assert.Equal("1", labels.GetProperty("io.slipway.model.version").GetString());
        Assert.Equal(digest, labels.GetProperty("io.slipway.model.content-digest").GetString());
        Assert.Equal("1", labels.GetProperty("org.opencontainers.image.version").GetString());
        var health = await tools.PodmanAsync("image", "inspect", "--format", "{{json .HealthCheck}}", "slipway-iris:test");
        Assert.Contains("--health-check", health, StringComparison.Ordinal);

        var port = FreePort.Next();
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        var container = await tools.PodmanAsync("run", "-d", "-e", "SLIPWAY_URLS=" + url, "slipway-iris:test");
        containers.Add(container);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await ContainerTools.WaitForOkAsync(client, url + "/v2/health/ready", TimeSpan.FromSeconds(60), () => tools.PodmanAsync("logs", container));
        Assert.Equal("0", await ExecHealthCheckAsync(container));
        // The process runs as the image user: uid 10001, named slipway in the image's /etc/passwd.
        Assert.Equal("slipway", (await tools.PodmanAsync("top", container, "user")).Split('\n')[^1].Trim());

        await AssertPredictionsAsync(client, url);
        var metrics = await client.GetStringAsync(url + "/metrics");
        Assert.Contains("iris", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generic_image_pulls_the_alias_from_the_registry_server_at_start()
    {
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "models", "register", "iris", RegistryScenario.IrisModel)).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", Registry, "alias", "set", "iris", "prod", "1")).ShouldSucceed();
        var built = await BuildAsync("models:/iris@prod", "ctx", "slipway-iris:generic", null, "--generic");
        Assert.Equal("models:/iris@prod", built.GetProperty("model_uri").GetString());

        await using var server = await ServerProcess.StartAsync(work.Path, null, "--registry", Registry);
        var port = FreePort.Next();
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        var container = await tools.PodmanAsync("run", "-d", "-e", "SLIPWAY_URLS=" + url, "-e", "SLIPWAY_TRACKING_URI=" + server.Url, "slipway-iris:generic");
        containers.Add(container);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await ContainerTools.WaitForOkAsync(client, url + "/v2/health/ready", TimeSpan.FromSeconds(60), () => tools.PodmanAsync("logs", container));
        await AssertPredictionsAsync(client, url);
    }

    private async Task<JsonElement> BuildAsync(string model, string directory, string tag, string? serveApp, params string[] extra)
    {
        string[] arguments =
        [
            "--registry", Registry, "--output", "json", "build", model, "--out", work.Combine(directory), "--image", tag, "--builder", "buildah",
            .. serveApp is null ? Array.Empty<string>() : ["--serve-app", serveApp], .. extra,
        ];
        images.Add(tag);
        return (await SlipwayExecutable.RunAsync(work.Path, tools.Environment, arguments)).ShouldSucceed().Json();
    }

    private async Task<string> ExecHealthCheckAsync(string container)
    {
        await tools.PodmanAsync("exec", container, "/app/slipway-serve", "--health-check");
        return "0";
    }

    /// <summary>Scores all 150 iris rows over MLflow /invocations and V2 and checks the expected labels.</summary>
    internal static async Task AssertPredictionsAsync(HttpClient client, string url)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("testdata", "models", "iris_logreg.expected.json")));
        var inputs = expected.RootElement.GetProperty("input").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var labels = expected.RootElement.GetProperty("label").EnumerateArray().Select(v => v.GetInt64()).ToArray();

        var mlflow = new { dataframe_split = new { columns = new[] { "sepal_length", "sepal_width", "petal_length", "petal_width" }, data = inputs } };
        using var invocations = await client.PostAsJsonAsync(url + "/invocations", mlflow);
        Assert.True(invocations.IsSuccessStatusCode, await invocations.Content.ReadAsStringAsync());
        var answer = JsonDocument.Parse(await invocations.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(labels, answer.GetProperty("predictions").GetProperty("label").EnumerateArray().Select(v => v.GetInt64()).ToArray());

        var v2 = new { inputs = new[] { new { name = "input", shape = new[] { inputs.Length, 4 }, datatype = "FP32", data = inputs.SelectMany(r => r).ToArray() } } };
        using var infer = await client.PostAsJsonAsync(url + "/v2/models/iris/infer", v2);
        Assert.True(infer.IsSuccessStatusCode, await infer.Content.ReadAsStringAsync());
        var outputs = JsonDocument.Parse(await infer.Content.ReadAsStringAsync()).RootElement.GetProperty("outputs");
        var label = outputs.EnumerateArray().Single(o => o.GetProperty("name").GetString() == "label");
        Assert.Equal(labels, label.GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray());
    }
}
