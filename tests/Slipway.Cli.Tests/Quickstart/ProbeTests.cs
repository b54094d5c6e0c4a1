using Microsoft.ML.OnnxRuntime;
using Slipway.Cli.Quickstart.Training;
using Xunit.Abstractions;

namespace Slipway.Cli.Tests.Quickstart;

public class ProbeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Probe()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Slipway.slnx"))) root = Path.GetDirectoryName(root)!;
        var outDir = Path.Combine(Path.GetTempPath(), "probe-" + Guid.NewGuid().ToString("N"));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var result = await AdultIncomeTrainer.TrainAsync(Path.Combine(root, "data/adult/adult.data"), outDir, new Progress<string>(output.WriteLine), CancellationToken.None);
        output.WriteLine($"{sw.Elapsed} {string.Join(",", result.Metrics)}");
        using var session = new InferenceSession(result.OnnxPath);
        foreach (var (k, v) in session.InputMetadata) output.WriteLine($"in {k} {v.OnnxValueType} {v.ElementDataType} [{string.Join(",", v.Dimensions)}]");
        foreach (var (k, v) in session.OutputMetadata) output.WriteLine($"out {k} {v.OnnxValueType} {v.ElementDataType} [{string.Join(",", v.Dimensions)}]");
        output.WriteLine(File.ReadAllText(result.InputExamplePath));
    }
}
