using System.Diagnostics;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the real <c>slipway</c> executable (the built <c>slipway.dll</c> next to the tests, copied there by the project
/// reference) with <c>dotnet</c>, in a working directory of the test's choosing and without the caller's registry
/// environment variables, so each test sees only what it sets.
/// </summary>
public static class SlipwayExecutable
{
    /// <summary>The built executable.</summary>
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "slipway.dll");

    /// <summary>How long one CLI run may take before the test fails (the quickstart trains a model).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A start description for <c>dotnet slipway.dll ARGS</c>.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("SLIPWAY_TRACKING_URI");
        start.Environment.Remove("MLFLOW_TRACKING_URI");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>Runs <c>slipway ARGS</c> to completion in <paramref name="workingDirectory"/>.</summary>
    public static Task<CliResult> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, null, arguments);

    /// <summary>Runs <c>slipway ARGS</c> to completion with extra environment variables.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, arguments))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"slipway {string.Join(' ', arguments)} did not finish within {DefaultTimeout}.\n{await stdout}\n{await stderr}");
        }

        return new CliResult(arguments, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A temporary working directory for one test.</summary>
    public static TempDirectory NewWorkingDirectory() => new("slipway-cli-test");
}
