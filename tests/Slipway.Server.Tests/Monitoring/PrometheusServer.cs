using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Server.Tests.Monitoring;

/// <summary>A real Prometheus (Debian package) scraping one target every second, on a free loopback port, with its TSDB in a temporary directory.</summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly TempDirectory directory;
    private readonly Process process;

    private PrometheusServer(TempDirectory directory, Process process, Uri address)
    {
        this.directory = directory;
        this.process = process;
        Http = new HttpClient { BaseAddress = address };
    }

    public HttpClient Http { get; }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port, path /metrics) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string target)
    {
        var directory = new TempDirectory("slipway-prometheus");
        var config = directory.Combine("prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: slipway
                scrape_interval: 1s
                scrape_timeout: 1s
                static_configs:
                  - targets: ['{target}']
            """);
        for (var attempt = 0; ; attempt++)
        {
            // The port was free a moment ago; another process may take it first, so a failed start is retried.
            var port = FreePort.Next();
            var start = new ProcessStartInfo(Promtool.PrometheusPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add($"--config.file={config}");
            start.ArgumentList.Add($"--storage.tsdb.path={directory.Combine($"data-{attempt}")}");
            start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
            process.OutputDataReceived += static (_, _) => { };
            process.ErrorDataReceived += static (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new PrometheusServer(directory, process, new Uri($"http://127.0.0.1:{port}"));
            if (await server.WaitReadyAsync())
            {
                return server;
            }

            await server.StopAsync();
            if (attempt == 2)
            {
                directory.Dispose();
                throw new InvalidOperationException("prometheus did not become ready");
            }
        }
    }

    /// <summary>Runs an instant PromQL query; the response's <c>data</c> (throws when Prometheus reports an error).</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        using var response = await Http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        if (body.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"query {promql} failed: {body}");
        }

        return body.GetProperty("data");
    }

    /// <summary>The single value of an instant query, or null when it returned no series.</summary>
    public async Task<double?> ScalarAsync(string promql)
    {
        var data = await QueryAsync(promql);
        var result = data.GetProperty("result");
        if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() == 0)
        {
            return null;
        }

        var value = result[0].GetProperty("value")[1].GetString()!;
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <paramref name="promql"/> until it answers <paramref name="expected"/> (or a minute passes); the last answer.</summary>
    public async Task<double?> WaitForAsync(string promql, double expected)
    {
        var clock = Stopwatch.StartNew();
        double? last = null;
        while (clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            last = await ScalarAsync(promql);
            if (last == expected)
            {
                return last;
            }

            await Task.Delay(250);
        }

        return last;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        directory.Dispose();
    }

    private async Task<bool> WaitReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
        {
            try
            {
                using var response = await Http.GetAsync("/-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }

    private async Task StopAsync()
    {
        Http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
