using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Serving;

public sealed class ServeCommandTests
{
    private static readonly string IrisModel = RepoPaths.Combine("testdata", "models", "iris_logreg.onnx");

    [Fact]
    public async Task Serve_answers_both_protocols_follows_the_alias_and_stops_on_sigterm()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "models", "register", "iris", IrisModel, "--columns", "a,b,c,d")).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, "alias", "set", "iris", "champion", "1")).ShouldSucceed();

        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort.Next()}");
        using var process = Process.Start(SlipwayExecutable.StartInfo(work.Path, null, ["serve", "models:/iris@champion", "--urls", url, "--poll-interval", "0.05"]))!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForAsync(http, process, output, "/v2/health/ready");

            using var mlflow = await http.PostAsync("/invocations", new StringContent("""{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": [[5.1, 3.5, 1.4, 0.2]]}}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, mlflow.StatusCode);
            using var predictions = JsonDocument.Parse(await mlflow.Content.ReadAsStringAsync());
            Assert.Equal(0, predictions.RootElement.GetProperty("predictions")[0].GetProperty("label").GetInt64());

            using var v2 = await http.PostAsync("/v2/models/iris/infer", new StringContent("""{"inputs": [{"name": "a", "datatype": "FP32", "shape": [1], "data": [6.7]}, {"name": "b", "datatype": "FP32", "shape": [1], "data": [3.0]}, {"name": "c", "datatype": "FP32", "shape": [1], "data": [5.2]}, {"name": "d", "datatype": "FP32", "shape": [1], "data": [2.3]}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
            using var v2Body = JsonDocument.Parse(await v2.Content.ReadAsStringAsync());
            Assert.Equal("1", v2Body.RootElement.GetProperty("model_version").GetString());

            // A new version and an alias move: the node swaps to it.
            (await SlipwayExecutable.RunAsync(work.Path, "models", "register", "iris", RepoPaths.Combine("testdata", "models", "iris_random_forest.onnx"), "--columns", "a,b,c,d")).ShouldSucceed();
            (await SlipwayExecutable.RunAsync(work.Path, "alias", "set", "iris", "champion", "2")).ShouldSucceed();
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var status = await http.GetStringAsync("/api/slipway/serving/models");
                if (status.Contains("\"live_version\":\"2\"", StringComparison.Ordinal))
                {
                    break;
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the alias move was not followed: " + status);
                await Task.Delay(50);
            }

            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
            Assert.Equal(0, process.ExitCode);
            lock (output)
            {
                Assert.Contains("Slipway serving models:/iris@champion on " + url, output.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Serve_rejects_a_malformed_model_uri()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "serve", "iris")).ShouldFailWith(1, "'iris' is not a model URI");
        (await SlipwayExecutable.RunAsync(work.Path, "serve", "models:/iris/1", "--batching", "maybe")).ShouldFailWith(2, "maybe");
    }

    private static async Task WaitForAsync(HttpClient http, Process process, StringBuilder output, string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, "slipway serve exited early: " + output);
            try
            {
                using var response = await http.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "slipway serve did not become ready: " + output);
            await Task.Delay(100);
        }
    }
}
