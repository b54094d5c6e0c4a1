using System.Diagnostics;
using Slipway.Cli.Tests.Infrastructure;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Mlflow.Client;
using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary>
/// <c>examples/WorkHoursRegression</c>, built and run as its own process against a real <c>slipway server</c>: the run
/// it tracked and the version it registered are checked through the server's API.
/// </summary>
public sealed class ExampleTests
{
    private static readonly string ExampleDll = Path.Combine(AppContext.BaseDirectory, "WorkHoursRegression.dll");

    [Fact]
    public async Task Work_hours_example_tracks_its_training_and_registers_the_model_from_the_run()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        await using var server = await ServerProcess.StartAsync(work.Path, null, "--registry", work.Combine("server-data"));
        var model = "work-hours-" + Guid.NewGuid().ToString("N")[..8];

        // The server URL comes from MLFLOW_TRACKING_URI, as MLflow users set it.
        var (exitCode, output) = await RunExampleAsync(
            work.Path, new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = server.Url }, "--data", RepoPaths.Combine("data", "adult", "adult.data"), "--epochs", "4", "--model", model);
        Assert.True(exitCode == 0, $"the example exited {exitCode}:\n{output}");

        using var tracking = new MlflowTrackingClient(new Uri(server.Url));
        using var registry = new MlflowRegistryClient(new Uri(server.Url));
        var ct = CancellationToken.None;
        var experiment = await tracking.GetExperimentByNameAsync("work-hours", ct);
        var run = Assert.Single((await tracking.SearchRunsAsync([experiment.ExperimentId], null, null, ViewType.ActiveOnly, 100, null, ct)).Items);
        Assert.Contains(run.Info.RunId, output, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Contains(new Param("epochs", "4"), run.Data.Params);
        Assert.Contains(new Param("trainer", "Sdca"), run.Data.Params);
        Assert.Equal("training", Assert.Single(run.Inputs).Tags.Single(t => t.Key == "mlflow.data.context").Value);

        // One test RMSE per epoch, in hours; the last one beats always answering 0 hours by far.
        var rmse = (await tracking.GetMetricHistoryAsync(run.Info.RunId, "test_rmse", null, null, ct)).Items;
        Assert.Equal([1L, 2L, 3L, 4L], rmse.Select(m => m.Step));
        Assert.InRange(rmse[^1].Value, 5, 20);
        Assert.Equal(4, (await tracking.GetMetricHistoryAsync(run.Info.RunId, "test_r2", null, null, ct)).Items.Count);

        var artifacts = await tracking.ListArtifactsAsync(run.Info.RunId, "model", null, ct);
        Assert.Contains(artifacts.Files, f => f.Path == "model/MLmodel");
        Assert.Contains(artifacts.Files, f => f.Path == "model/model.zip");

        // The version links to the run and holds the run's model files.
        var version = await registry.GetModelVersionAsync(model, 1, ct);
        Assert.Equal(ModelVersionStatus.Ready, version.Status);
        Assert.Equal(run.Info.RunId, version.RunId);
        Assert.Equal($"runs:/{run.Info.RunId}/model", version.Source);
        var files = await registry.GetModelVersionFilesAsync(model, 1, ct);
        Assert.Contains(files, f => f.Path == "model.zip");
        Assert.Contains(files, f => f.Path == "MLmodel");
    }

    [Fact]
    public async Task Work_hours_example_without_a_server_or_data_prints_its_usage()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var (exitCode, output) = await RunExampleAsync(work.Path, null);
        Assert.Equal(2, exitCode);
        Assert.Contains("usage:", output, StringComparison.Ordinal);

        // A data file that is not there is a usage error too, before anything is logged.
        (exitCode, output) = await RunExampleAsync(work.Path, null, "http://127.0.0.1:1", "--data", Path.Combine(work.Path, "missing.data"));
        Assert.Equal(2, exitCode);
        Assert.Contains("usage:", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunExampleAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(ExampleDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("MLFLOW_TRACKING_URI");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(SlipwayExecutable.DefaultTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
