using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Slipway.Cli.Tests.Helm;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;
using YamlDotNet.RepresentationModel;

namespace Slipway.Cli.Tests.Ci;

/// <summary>
/// <c>slipway ci init</c> and <c>slipway ci event</c> on the real executable. The generated pipelines are linted by
/// independent validators (action-validator against GitHub's workflow schema, gitlab-ci-local against GitLab's), and
/// the webhook-to-workflow path runs end to end: a real server's webhook on a repository's dispatches endpoint
/// delivers what the workflow's expressions and <c>ci event</c> read.
/// </summary>
public sealed class CiInitTests
{
    private static string Tools => RepoPaths.Combine(".tools", "node_modules");

    [Fact]
    public async Task GitHub_workflow_passes_the_schema_and_runs_validate_build_rollout_promote_in_order()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--github", "--model", "iris", "--alias", "prod")).ShouldSucceed();
        var path = work.Combine(".github", "workflows", "slipway-deploy.yml");

        var (code, output) = await RunNodeAsync(work.Path, Path.Combine(Tools, "@action-validator", "cli", "cli.mjs"), path);
        Assert.True(code == 0, output);

        var root = Load(path);
        var on = (YamlMappingNode)root["on"];
        Assert.Equal(["model_version.created"], ((YamlSequenceNode)((YamlMappingNode)on["repository_dispatch"])["types"]).Select(n => n.ToString()));
        var jobs = (YamlMappingNode)root["jobs"];
        Assert.Equal(["policy", "validate", "build", "rollout", "promote"], jobs.Children.Keys.Select(k => k.ToString()));
        Assert.Equal("validate", Job(jobs, "build")["needs"].ToString());
        Assert.Equal(["validate", "build"], ((YamlSequenceNode)Job(jobs, "rollout")["needs"]).Select(n => n.ToString()));
        Assert.Contains("github.event.client_payload.data.name == 'iris'", Job(jobs, "validate")["if"].ToString(), StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(path);
        Assert.Contains("slipway promote \"$MODEL\" \"${{ steps.version.outputs.version }}\" --alias \"$ALIAS\" --dry-run", text, StringComparison.Ordinal);
        Assert.Contains("slipway build \"models:/$MODEL/$VERSION\"", text, StringComparison.Ordinal);
        Assert.Contains("kubectl rollout status deployment/slipway-iris-prod", text, StringComparison.Ordinal);
        Assert.Contains("kubectl rollout undo deployment/slipway-iris-prod", text, StringComparison.Ordinal);

        // The validator can fail: a misspelt key is caught.
        await File.WriteAllTextAsync(path, text.Replace("runs-on:", "runs_on:", StringComparison.Ordinal));
        Assert.NotEqual(0, (await RunNodeAsync(work.Path, Path.Combine(Tools, "@action-validator", "cli", "cli.mjs"), path)).Code);
    }

    [Fact]
    public async Task GitLab_pipeline_passes_the_schema_and_deploys_only_when_triggered()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--gitlab", "--model", "iris")).ShouldSucceed();
        var gitlabCiLocal = Path.Combine(Tools, "gitlab-ci-local", "src", "index.js");

        var (code, triggered) = await RunNodeAsync(work.Path, gitlabCiLocal, "--list", "--variable", "CI_PIPELINE_SOURCE=trigger");
        Assert.True(code == 0, triggered);
        Assert.Contains("json schema validated", triggered, StringComparison.Ordinal);
        Assert.Equal(["validate", "build", "rollout", "promote", "undo-rollout"], Jobs(triggered));
        var (_, pushed) = await RunNodeAsync(work.Path, gitlabCiLocal, "--list", "--variable", "CI_PIPELINE_SOURCE=push");
        Assert.Equal(["policy"], Jobs(pushed));
        var text = await File.ReadAllTextAsync(work.Combine(".gitlab-ci.yml"));
        Assert.Contains("slipway ci event \"$TRIGGER_PAYLOAD\"", text, StringComparison.Ordinal);
        Assert.Contains("kubectl set image deployment/slipway-iris-champion", text, StringComparison.Ordinal);

        // The validator can fail: a job without a script is refused.
        await File.WriteAllTextAsync(work.Combine(".gitlab-ci.yml"), text.Replace("  script:", "  scripts:", StringComparison.Ordinal));
        Assert.NotEqual(0, (await RunNodeAsync(work.Path, gitlabCiLocal, "--list", "--variable", "CI_PIPELINE_SOURCE=trigger")).Code);
    }

    [Fact]
    public async Task A_webhook_on_a_dispatches_endpoint_delivers_what_the_workflow_reads()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var port = FreePort.Next();
        using var github = new HttpListener();
        github.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        github.Start();
        var dispatched = ReceiveAsync(github);
        var name = "iris-" + Guid.NewGuid().ToString("N")[..8];
        await using (var server = await ServerProcess.StartAsync(work.Path, null, "--registry", work.Combine("data")))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            var body = $$"""
                {"name": "github", "url": "http://127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}}/repos/acme/models/dispatches", "secret": "ghp_token",
                 "events": [{"entity": "MODEL_VERSION", "action": "CREATED"}]}
                """;
            using var created = await http.PostAsync("/api/2.0/mlflow/webhooks", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "models", "register", name, RegistryScenario.IrisModel, "--columns", "a,b,c,d"))
                .ShouldSucceed();

            var (authorization, received) = await dispatched.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("Bearer ghp_token", authorization);
            var file = work.Combine("payload.json");
            await File.WriteAllTextAsync(file, received);
            var variables = (await SlipwayExecutable.RunAsync(work.Path, "ci", "event", file)).ShouldSucceed().StdOut;
            Assert.Equal(
                ["SLIPWAY_EVENT='model_version.created'", $"SLIPWAY_EVENT_MODEL='{name}'", "SLIPWAY_EVENT_VERSION='1'"],
                variables.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

            // The workflow's expressions read these very fields of the dispatch.
            using var document = System.Text.Json.JsonDocument.Parse(received);
            var payload = document.RootElement.GetProperty("client_payload");
            Assert.Equal("model_version.created", document.RootElement.GetProperty("event_type").GetString());
            Assert.Equal(name, payload.GetProperty("data").GetProperty("name").GetString());
            Assert.Equal("1", payload.GetProperty("data").GetProperty("version").GetString());
        }
    }

    [Fact]
    public async Task Event_variables_are_safe_to_source_in_a_shell()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var file = work.Combine("event.json");
        await File.WriteAllTextAsync(file, """{"entity": "model_version_alias", "action": "created", "timestamp": "x", "data": {"name": "it's $(rm -rf /)", "alias": "champion", "version": "7"}}""");
        var variables = (await SlipwayExecutable.RunAsync(work.Path, "ci", "event", file)).ShouldSucceed().StdOut;
        await File.WriteAllTextAsync(work.Combine("event.env"), variables);

        var start = new ProcessStartInfo("/bin/sh", ["-c", ". ./event.env && printf '%s|%s|%s|%s' \"$SLIPWAY_EVENT\" \"$SLIPWAY_EVENT_MODEL\" \"$SLIPWAY_EVENT_VERSION\" \"$SLIPWAY_EVENT_ALIAS\""])
        {
            WorkingDirectory = work.Path,
            RedirectStandardOutput = true,
        };
        using var shell = Process.Start(start)!;
        var printed = await shell.StandardOutput.ReadToEndAsync();
        await shell.WaitForExitAsync();
        Assert.Equal("model_version_alias.created|it's $(rm -rf /)|7|champion", printed);
    }

    [Fact]
    public async Task A_model_whose_name_is_no_Kubernetes_name_rolls_out_the_Deployment_named_like_the_charts()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--gitlab", "--model", "Iris_Model", "--deployment", "iris-model-champion")).ShouldSucceed();
        var text = await File.ReadAllTextAsync(work.Combine(".gitlab-ci.yml"));
        Assert.Contains("kubectl set image deployment/iris-model-champion serve=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("slipway-Iris_Model", text, StringComparison.Ordinal);

        // The chart entry with the same deploymentName makes that Deployment, its container `serve` serving the model.
        var render = await HelmChart.RenderAsync("""
            server: {postgresql: {host: pg, password: pw}, s3: {bucket: b}}
            serving: {models: [{name: Iris_Model, alias: champion, deploymentName: iris-model-champion}]}
            """);
        var container = ChartRender.Container(render.Get("Deployment", "iris-model-champion"));
        Assert.Equal("serve", (string)container["name"]!);
        Assert.Equal("models:/Iris_Model@champion", ChartRender.Env(container, "SLIPWAY_MODEL_URI"));
    }

    [Fact]
    public async Task Bad_inputs_exit_1_with_one_line()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--model", "iris")).ShouldFailWith(1, "--github and --gitlab");
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--github", "--gitlab", "--model", "iris")).ShouldFailWith(1, "--github and --gitlab");
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--github")).ShouldFailWith(2, "--model");
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--github", "--model", "Iris_Model")).ShouldFailWith(1, "give --deployment NAME");
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--github", "--model", "Iris_Model", "--deployment", "Iris-Model")).ShouldFailWith(1, "--deployment 'Iris-Model' is not a Kubernetes name");
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--github", "--model", "Iris_Model", "--deployment", "")).ShouldFailWith(1, "is not a Kubernetes name");
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--github", "--model", "iris")).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--github", "--model", "iris")).ShouldFailWith(1, "--force");
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "init", "--github", "--model", "iris", "--force")).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "event", work.Combine("missing.json"))).ShouldFailWith(1, "missing.json");
        await File.WriteAllTextAsync(work.Combine("not.json"), "{oops");
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "event", work.Combine("not.json"))).ShouldFailWith(1, "not JSON");
        await File.WriteAllTextAsync(work.Combine("other.json"), """{"hello": "world"}""");
        (await SlipwayExecutable.RunAsync(work.Path, "ci", "event", work.Combine("other.json"))).ShouldFailWith(1, "not a webhook event");
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Job(YamlMappingNode jobs, string name) => (YamlMappingNode)jobs[name];

    // gitlab-ci-local --list prints a table: a header line starting "name", then one job per line.
    private static List<string> Jobs(string listing)
    {
        var lines = listing.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("name ", StringComparison.Ordinal));
        return [.. lines.Skip(header + 1).TakeWhile(l => l.Contains(" on_", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])];
    }

    // Output is standard output then standard error (the job listing is on standard output, notes on standard error).
    private static async Task<(int Code, string Output)> RunNodeAsync(string directory, string script, params string[] arguments)
    {
        var (code, output, error) = await ToolProcess.RunAsync("node", [script, .. arguments], directory);
        return (code, output + error);
    }

    private static async Task<(string? Authorization, string Body)> ReceiveAsync(HttpListener listener)
    {
        var context = await listener.GetContextAsync();
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        var authorization = context.Request.Headers["Authorization"];
        context.Response.StatusCode = (int)HttpStatusCode.NoContent;
        context.Response.Close();
        return (authorization, body);
    }
}
