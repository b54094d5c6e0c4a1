using System.Globalization;
using Slipway.Cli.Tests.Build;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Helm;

/// <summary>
/// The chart's manifests run: the image <c>slipway build --generic</c> makes, started from the rendered server and
/// serving Deployments (podman, as <see cref="RenderedPod"/> describes) against a real PostgreSQL and S3 store. The
/// probes answer at the paths and ports the manifests name, the serving pod pulls the alias from the server and scores,
/// Prometheus' annotations lead to the metrics, and SIGTERM stops a pod cleanly within its grace period.
/// </summary>
public sealed class ChartContainerTests(PostgresServer postgres, S3rverServer s3) : IClassFixture<PostgresServer>, IClassFixture<S3rverServer>, IDisposable
{
    private const string Image = "localhost/slipway-chart";
    private const string Tag = "test";

    private readonly TempDirectory work = SlipwayExecutable.NewWorkingDirectory();
    private readonly ContainerTools tools = new();
    private readonly List<string> containers = [];

    public void Dispose()
    {
        foreach (var container in containers)
        {
            tools.PodmanAsync("rm", "-f", "-t", "0", container).GetAwaiter().GetResult();
        }

        tools.PodmanAsync("rmi", "-f", $"{Image}:{Tag}").GetAwaiter().GetResult();
        tools.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task Rendered_server_runs_on_PostgreSQL_and_S3_and_the_serving_pod_pulls_and_serves_its_alias()
    {
        // The image: slipway build --generic (the registry it reads the model from at build time is a local one).
        var local = work.Combine("local");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", local, "models", "register", "iris", RegistryScenario.IrisModel)).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", local, "alias", "set", "iris", "champion", "1")).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, tools.Environment,
            "--registry", local, "build", "models:/iris@champion", "--generic", "--out", work.Combine("ctx"), "--image", $"slipway-chart:{Tag}", "--builder", "buildah")).ShouldSucceed();

        // The chart, with the test's PostgreSQL database and bucket. Pods share the host network here, so each role gets
        // a free port, and the serving pods reach the server by address instead of its Service's DNS name.
        var database = new Uri(await postgres.CreateDatabaseAsync());
        var userInfo = database.UserInfo.Split(':');
        var serverPort = FreePort.Next();
        var servingPort = FreePort.Next();
        var prefix = "chart-" + Guid.NewGuid().ToString("N");
        string Values(int port) => string.Create(CultureInfo.InvariantCulture, $$"""
            image: {repository: {{Image}}, tag: {{Tag}}, pullPolicy: Never}
            server:
              containerPort: {{port}}
              service: {port: {{port}}}
              postgresql: {host: 127.0.0.1, port: {{database.Port}}, database: {{database.AbsolutePath.Trim('/')}}, user: {{userInfo[0]}}, password: {{userInfo[1]}}}
              s3: {bucket: {{s3.Bucket}}, prefix: {{prefix}}, endpoint: "{{s3.Endpoint}}", accessKeyId: {{S3rverServer.Credential}}, secretAccessKey: {{S3rverServer.Credential}}}
            serving:
              containerPort: {{servingPort}}
              service: {port: {{servingPort}}}
              trackingUri: http://127.0.0.1:{{serverPort}}
              models: [{name: iris, alias: champion}]
            """);
        var render = await HelmChart.RenderAsync(Values(serverPort));
        // A second server replica: the same manifest on another port (the pods share the host network here).
        var replicaPort = FreePort.Next();
        var replicaRender = await HelmChart.RenderAsync(Values(replicaPort));
        Assert.Empty(await HelmChart.ValidateAsync(render.Output));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        // `helm test`'s pod for the serving Service fails while nothing serves the model.
        Assert.Equal("1", await RunTestPodAsync(render, "slipway-iris-champion-test"));

        // Two server replicas start together on the empty database: each applies the missing schema migrations on
        // start, serialized by PostgreSQL, and both turn ready; every probe answers.
        var serverDeployment = render.Get("Deployment", "demo-slipway-server");
        var server = ChartRender.Container(serverDeployment);
        var replicaDeployment = replicaRender.Get("Deployment", "demo-slipway-server");
        var started = await Task.WhenAll(StartAsync(render, serverDeployment), StartAsync(replicaRender, replicaDeployment));
        var (serverContainer, replicaContainer) = (started[0], started[1]);
        await ContainerTools.WaitForOkAsync(client, RenderedPod.ProbeUrl(server, "startupProbe"), TimeSpan.FromSeconds(60), () => tools.PodmanAsync("logs", serverContainer));
        await ContainerTools.WaitForOkAsync(client, RenderedPod.ProbeUrl(ChartRender.Container(replicaDeployment), "startupProbe"), TimeSpan.FromSeconds(60), () => tools.PodmanAsync("logs", replicaContainer));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(RenderedPod.ProbeUrl(server, "readinessProbe"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(RenderedPod.ProbeUrl(server, "livenessProbe"))).StatusCode);
        // The image's own HEALTHCHECK (for podman and docker) knows the server role too: it has no V2 endpoints.
        await tools.PodmanAsync("exec", serverContainer, "/app/slipway-serve", "--health-check");

        var registry = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{serverPort}");
        var registered = (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "--output", "json", "models", "register", "iris", RegistryScenario.IrisModel)).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", registry, "alias", "set", "iris", "champion", "1")).ShouldSucceed();
        // The bytes went to the bucket, not into the container, and the other replica sees the same registry.
        Assert.NotEmpty(Directory.EnumerateFiles(s3.DataDirectory, "*", SearchOption.AllDirectories));
        Assert.Equal(1, registered.Json().GetProperty("version").GetInt32());
        var replica = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{replicaPort}");
        var fromReplica = work.Combine("from-replica");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", replica, "models", "download", "models:/iris@champion", "--out", fromReplica)).ShouldSucceed();
        Assert.Equal(registered.Json().GetProperty("content_digest").GetString(), Hashes.ContentDigest(fromReplica));

        // The serving pod: ready once it has pulled models:/iris@champion from the server; probes, scoring and metrics.
        var servingDeployment = render.Get("Deployment", "slipway-iris-champion");
        var serving = ChartRender.Container(servingDeployment);
        var servingContainer = await StartAsync(render, servingDeployment);
        await ContainerTools.WaitForOkAsync(client, RenderedPod.ProbeUrl(serving, "startupProbe"), TimeSpan.FromSeconds(60), () => tools.PodmanAsync("logs", servingContainer));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(RenderedPod.ProbeUrl(serving, "readinessProbe"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(RenderedPod.ProbeUrl(serving, "livenessProbe"))).StatusCode);
        await tools.PodmanAsync("exec", servingContainer, "/app/slipway-serve", "--health-check");
        // `helm test`: each Service answers its test pod through the Service's name and port.
        Assert.Equal("0", await RunTestPodAsync(render, "demo-slipway-server-test"));
        Assert.Equal("0", await RunTestPodAsync(render, "slipway-iris-champion-test"));
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ChartRender.Port(serving, "http")}");
        await ImageBuildTests.AssertPredictionsAsync(client, url);

        var annotations = servingDeployment["spec"]!["template"]!["metadata"]!["annotations"]!;
        var metrics = await client.GetStringAsync(string.Create(CultureInfo.InvariantCulture,
            $"http://127.0.0.1:{ChartRender.Port(serving, annotations["prometheus.io/port"]!)}{(string)annotations["prometheus.io/path"]!}"));
        Assert.Contains("slipway_serving_requests_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("model=\"iris\"", metrics, StringComparison.Ordinal);
        // The pod logs what it answers (the rendered monitoring directory, a tmpfs here as the emptyDir would be).
        var logged = metrics.Split('\n').Where(l => l.StartsWith("slipway_inference_log_records_total", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        Assert.True(logged >= 2, $"{logged} requests logged:\n{metrics}");

        // Graceful termination: SIGTERM within the grace period ends the process cleanly (exit 0, not a kill).
        var grace = (long)servingDeployment["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!;
        await tools.PodmanAsync("stop", "-t", grace.ToString(CultureInfo.InvariantCulture), servingContainer);
        Assert.Equal("0", await tools.PodmanAsync("inspect", "--format", "{{.State.ExitCode}}", servingContainer));
        foreach (var container in new[] { serverContainer, replicaContainer })
        {
            await tools.PodmanAsync("stop", "-t", grace.ToString(CultureInfo.InvariantCulture), container);
            Assert.Equal("0", await tools.PodmanAsync("inspect", "--format", "{{.State.ExitCode}}", container));
        }

        // A bad setting stops the pod at once with one line naming it (a CrashLoopBackOff whose log says why).
        await AssertRefusedAsync("SLIPWAY_LOG_SAMPLE_RATE must be a number from 0 to 1, not '2'", ["-e", "SLIPWAY_LOG_SAMPLE_RATE=2", "-e", "SLIPWAY_TRACKING_URI=" + registry]);
        await AssertRefusedAsync("SLIPWAY_POLL_INTERVAL must be a number of seconds, not 'soon'", ["-e", "SLIPWAY_POLL_INTERVAL=soon", "-e", "SLIPWAY_TRACKING_URI=" + registry]);
        await AssertRefusedAsync("slipway-serve server takes no other arguments", [], "server", "--port", "5000");
        await AssertRefusedAsync("Invalid SLIPWAY_STORE 'mysql://db/registry'", ["-e", "SLIPWAY_STORE=mysql://db/registry", "-e", "SLIPWAY_ARTIFACTS=/tmp/artifacts"], "server");
        await AssertRefusedAsync("Point SLIPWAY_REGISTRY_DIR (or SLIPWAY_STORE and SLIPWAY_ARTIFACTS) at a writable directory", ["-e", "SLIPWAY_REGISTRY_DIR=/etc/slipway"], "server");
    }

    private async Task<string> StartAsync(ChartRender render, System.Text.Json.Nodes.JsonObject deployment)
    {
        var container = await RenderedPod.RunAsync(tools, render, RenderedPod.Template(deployment));
        containers.Add(container);
        return container;
    }

    private async Task AssertRefusedAsync(string message, string[] options, params string[] arguments)
    {
        var (code, output, error) = await ToolProcess.RunAsync(
            "podman", ["run", "--rm", "-e", "SLIPWAY_URLS=http://127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture), .. options, $"{Image}:{Tag}", .. arguments],
            environment: tools.Environment);
        Assert.True(code == 1, $"exit {code}: {output}{error}");
        var line = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    /// <summary>Runs a rendered `helm test` pod to its end, with the Services' names resolving to this host; returns its exit code.</summary>
    private async Task<string> RunTestPodAsync(ChartRender render, string name)
    {
        var pod = render.Get("Pod", name);
        Assert.Equal("test", (string)pod["metadata"]!["annotations"]!["helm.sh/hook"]!);
        string[] hosts = [.. render.OfKind("Service").SelectMany(s => new[] { "--add-host", (string)s["metadata"]!["name"]! + ":127.0.0.1" })];
        var container = await RenderedPod.RunAsync(tools, render, pod["spec"]!, hosts);
        containers.Add(container);
        return await tools.PodmanAsync("wait", container);
    }
}
