using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;
using Xunit;

namespace Slipway.Testing;

/// <summary>
/// A real s3rver (S3-compatible server) for a test class or collection, on 127.0.0.1 and a free port, with one
/// bucket configured. The executable comes from <c>SLIPWAY_S3RVER</c> or <c>.tools/node_modules/.bin/s3rver</c>
/// in the repository; when neither exists the fixture fails with instructions. Credentials: S3RVER/S3RVER.
/// </summary>
public sealed class S3rverServer : IAsyncLifetime
{
    /// <summary>The access key and secret s3rver accepts.</summary>
    public const string Credential = "S3RVER";

    private readonly TempDirectory _directory = new("slipway-s3rver");
    private Process? _process;

    /// <summary>The configured bucket.</summary>
    public string Bucket { get; } = "slipway-test";

    /// <summary>The endpoint URL, e.g. <c>http://127.0.0.1:43121</c>.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>Where s3rver keeps its objects (to corrupt them in tests).</summary>
    public string DataDirectory => _directory.Combine("data");

    /// <summary>
    /// Environment variables that point an S3 client (this process's or a child's) at the server:
    /// <c>SLIPWAY_S3_ENDPOINT</c>, <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_REGION</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>
    {
        ["SLIPWAY_S3_ENDPOINT"] = Endpoint,
        ["AWS_ACCESS_KEY_ID"] = Credential,
        ["AWS_SECRET_ACCESS_KEY"] = Credential,
        ["AWS_REGION"] = "us-east-1",
    };

    /// <summary>Copies <see cref="EnvironmentVariables"/> into a child process's start info.</summary>
    public void Apply(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        foreach (var (key, value) in EnvironmentVariables)
        {
            startInfo.Environment[key] = value;
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var executable = FindExecutable();
        Directory.CreateDirectory(DataDirectory);
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "-d", DataDirectory, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--configure-bucket", Bucket, "--silent" })
            {
                start.ArgumentList.Add(argument);
            }

            _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Endpoint = $"http://127.0.0.1:{port}";
            if (await WaitUntilAnsweringAsync(port))
            {
                return;
            }

            Stop();
            if (attempt >= 3)
            {
                throw new InvalidOperationException($"s3rver ({executable}) did not answer on {Endpoint}.");
            }
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Stop();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    private static string FindExecutable()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SLIPWAY_S3RVER");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new InvalidOperationException($"SLIPWAY_S3RVER points to {fromEnvironment}, which does not exist: run ./scripts/test.sh, which installs PostgreSQL and s3rver.");
        }

        var local = RepoPaths.Combine(".tools", "node_modules", ".bin", "s3rver");
        return File.Exists(local)
            ? local
            : throw new InvalidOperationException($"s3rver not found at {local} (or SLIPWAY_S3RVER): run ./scripts/test.sh, which installs PostgreSQL and s3rver.");
    }

    private async Task<bool> WaitUntilAnsweringAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 150; i++)
        {
            if (_process!.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/{Bucket}"));
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    private void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }
}
