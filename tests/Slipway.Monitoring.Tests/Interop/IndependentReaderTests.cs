using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Slipway.Monitoring.Inference;
using Slipway.Monitoring.Tests.Inference;
using Slipway.Testing;

namespace Slipway.Monitoring.Tests.Interop;

/// <summary>
/// The inference log read by hyparquet (Node.js), a Parquet implementation independent of Parquet.Net: what other
/// tools see must be the types, logical types and values that were recorded. <c>./scripts/test.sh</c> installs it into
/// <c>.tools/</c>; <c>SLIPWAY_HYPARQUET</c> may point at another copy.
/// </summary>
public sealed class IndependentReaderTests
{
    [Fact]
    public async Task Hyparquet_reads_the_inference_log_with_its_types_and_values()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(MonitorFixtures.Start);
        await using (var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock }))
        {
            Assert.True(monitor.TryRecord(MonitorFixtures.IrisRecord("req-1", MonitorFixtures.Start, rows: 2, seed: 1)));
            Assert.True(monitor.TryRecord(MonitorFixtures.IrisRecord("req-2", MonitorFixtures.Start.AddSeconds(1), rows: 1, seed: 2, alias: null)));
        }

        var file = Directory.GetFiles(dir.Combine(MonitoringPaths.Inferences), "*.parquet", SearchOption.AllDirectories).Single();
        using var document = JsonDocument.Parse(await ReadAsync(file));
        var columns = document.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("INT64", columns["timestamp"].GetProperty("type").GetString());
        var timestamp = columns["timestamp"].GetProperty("logical");
        Assert.Equal("TIMESTAMP", timestamp.GetProperty("type").GetString());
        Assert.True(timestamp.GetProperty("isAdjustedToUTC").GetBoolean());
        Assert.Equal("MICROS", timestamp.GetProperty("unit").GetString());
        Assert.Equal("STRING", columns["request_id"].GetProperty("logical").GetProperty("type").GetString());
        Assert.Equal("FLOAT", columns["sepal_length"].GetProperty("type").GetString());
        Assert.Equal("INT64", columns["label"].GetProperty("type").GetString());
        Assert.Equal("OPTIONAL", columns["alias"].GetProperty("repetition").GetString());

        var rows = document.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["req-1", "req-1", "req-2"], rows.Select(r => r.GetProperty("request_id").GetString()));
        Assert.Equal(["champion", "champion", null], rows.Select(r => r.GetProperty("alias").GetString()));
        Assert.Equal([0, 1, 0], rows.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal([0.5f, 0.75f, 1.0f], rows.Select(r => r.GetProperty("sepal_length").GetSingle()));
        Assert.Equal([1L, 2L, 2L], rows.Select(r => r.GetProperty("label").GetInt64()));
        Assert.Equal(
            [MonitorFixtures.Start.UtcDateTime, MonitorFixtures.Start.UtcDateTime, MonitorFixtures.Start.AddSeconds(1).UtcDateTime],
            rows.Select(r => DateTime.Parse(r.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)));
    }

    private static async Task<string> ReadAsync(string file)
    {
        var hyparquet = Environment.GetEnvironmentVariable("SLIPWAY_HYPARQUET") is { Length: > 0 } configured
            ? configured
            : RepoPaths.Combine(".tools", "node_modules", "hyparquet");
        Assert.True(Directory.Exists(hyparquet), $"hyparquet not found at {hyparquet}: run ./scripts/test.sh, which installs it into .tools/.");
        var script = RepoPaths.Combine("tests", "Slipway.Monitoring.Tests", "Interop", "read-parquet.mjs");
        using var process = Process.Start(new ProcessStartInfo("node", [script, hyparquet, file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "hyparquet failed: " + await error);
        return await output;
    }
}
