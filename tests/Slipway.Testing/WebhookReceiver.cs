using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Slipway.Testing;

/// <summary>
/// An independent MLflow webhook receiver: a Python (standard library) HTTP server that verifies
/// <c>X-MLflow-Signature</c> as MLflow's documentation tells receivers to and logs every request
/// (tests/Slipway.Deploy.Tests/Webhooks/mlflow_webhook_receiver.py). It answers the status codes it was given in order.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _log;

    private WebhookReceiver(Process process, string log, int port)
    {
        _process = process;
        _log = log;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>Its endpoint, <c>http://127.0.0.1:PORT/hook</c>.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/hook");

    /// <summary>Starts the receiver and waits until it listens.</summary>
    /// <param name="log">The JSON-lines file every request is appended to (kept when the receiver stops).</param>
    /// <param name="secret">The webhook secret to verify with; null to not verify.</param>
    /// <param name="responses">Status codes answered in order, the last repeating (e.g. <c>503,503,200</c>).</param>
    /// <param name="retryAfter">The <c>Retry-After</c> header sent with 429 answers, or null.</param>
    /// <param name="port">The port, or 0 for a free one.</param>
    public static async Task<WebhookReceiver> StartAsync(string log, string? secret = null, string responses = "200", string? retryAfter = null, int port = 0)
    {
        var script = RepoPaths.Combine("tests", "Slipway.Deploy.Tests", "Webhooks", "mlflow_webhook_receiver.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "--log", log, "--port", port.ToString(CultureInfo.InvariantCulture), "--responses", responses })
        {
            start.ArgumentList.Add(argument);
        }

        if (secret is not null)
        {
            start.ArgumentList.Add("--secret");
            start.ArgumentList.Add(secret);
        }

        if (retryAfter is not null)
        {
            start.ArgumentList.Add("--retry-after");
            start.ArgumentList.Add(retryAfter);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(wait.Token);
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            var error = await process.StandardError.ReadToEndAsync(wait.Token);
            throw new InvalidOperationException($"The webhook receiver did not start: {line} {error}");
        }

        return new WebhookReceiver(process, log, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>The requests received so far, oldest first (each a JSON object; see the script).</summary>
    public static IReadOnlyList<JsonElement> ReadLog(string log)
    {
        if (!File.Exists(log))
        {
            return [];
        }

        var requests = new List<JsonElement>();
        foreach (var line in File.ReadAllLines(log))
        {
            if (line.Length > 0)
            {
                using var document = JsonDocument.Parse(line);
                requests.Add(document.RootElement.Clone());
            }
        }

        return requests;
    }

    /// <summary>The requests received so far.</summary>
    public IReadOnlyList<JsonElement> Requests => ReadLog(_log);

    /// <summary>Waits (polling the log) until <paramref name="done"/> holds for the requests received, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAsync(Func<IReadOnlyList<JsonElement>, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var requests = Requests;
            if (done(requests))
            {
                return requests;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The webhook receiver got {requests.Count} requests, not what the test waited for.");
            }

            await Task.Delay(50);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
