using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Serving;

/// <summary><c>--monitoring-dir</c>, <c>--log-sample-rate</c> and <c>--no-monitoring</c> of <c>slipway serve</c> and <c>slipway server --serve</c>, with the real executable.</summary>
public sealed class ServeMonitoringOptionsTests
{
    private static readonly string IrisModel = RepoPaths.Combine("testdata", "models", "iris_logreg.onnx");

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("half")]
    [InlineData("NaN")]
    public async Task A_bad_sample_rate_is_one_error_line_naming_the_option(string rate)
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();

        (await SlipwayExecutable.RunAsync(work.Path, "serve", "models:/iris/1", "--log-sample-rate", rate)).ShouldFailWith(1, "--log-sample-rate");
        (await SlipwayExecutable.RunAsync(work.Path, "server", "--serve", "models:/iris/1", "--log-sample-rate", rate)).ShouldFailWith(1, "--log-sample-rate");
    }

    [Fact]
    public async Task Serve_logs_inferences_under_the_registry_directory_by_default_and_into_the_named_directory()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "models", "register", "iris", IrisModel, "--columns", "a,b,c,d")).ShouldSucceed();

        await ServeOnceAsync(work.Path, []);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(work.Path, ".slipway", "monitoring", "inferences"), "*.parquet", SearchOption.AllDirectories));

        var named = Path.Combine(work.Path, "elsewhere");
        await ServeOnceAsync(work.Path, ["--monitoring-dir", named]);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(named, "inferences"), "*.parquet", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task No_monitoring_writes_nothing()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        (await SlipwayExecutable.RunAsync(work.Path, "models", "register", "iris", IrisModel, "--columns", "a,b,c,d")).ShouldSucceed();
        var named = Path.Combine(work.Path, "monitoring-off");

        await ServeOnceAsync(work.Path, ["--no-monitoring", "--monitoring-dir", named]);

        Assert.False(Directory.Exists(named));
        Assert.False(Directory.Exists(Path.Combine(work.Path, ".slipway", "monitoring")));
    }

    /// <summary>Serves iris version 1, scores one request, and stops the node with SIGTERM (which closes the log files).</summary>
    private static async Task ServeOnceAsync(string work, string[] options)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort.Next()}");
        using var process = Process.Start(SlipwayExecutable.StartInfo(work, null, ["serve", "models:/iris/1", "--urls", url, .. options]))!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(process.HasExited, "slipway serve exited early: " + output);
                try
                {
                    using var ready = await http.GetAsync("/v2/health/ready");
                    if (ready.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "slipway serve did not become ready: " + output);
                await Task.Delay(100);
            }

            using var scored = await http.PostAsync("/invocations", new StringContent("""{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": [[5.1, 3.5, 1.4, 0.2]]}}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
            Assert.True(scored.Headers.Contains("X-Request-Id"));

            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
            Assert.True(process.ExitCode == 0, output.ToString());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
