using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Predict;

/// <summary>
/// ONNX Runtime's Linux builds record every session they open (model file name, graph name, hashes) under
/// <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime</c> for sending to Microsoft unless told not to. Slipway opens ONNX
/// sessions to read signatures (registering a bare .onnx file) and to score; neither may leave that trace.
/// </summary>
public sealed class OnnxRuntimeTelemetryTests
{
    [Fact]
    public async Task Registering_and_scoring_an_ONNX_model_leave_no_telemetry_in_the_home_directory()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var home = work.Combine("home");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string> { ["HOME"] = home };
        await File.WriteAllTextAsync(work.Combine("rows.csv"), "a,b,c,d\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");

        (await SlipwayExecutable.RunAsync(work.Path, environment, "--registry", work.Combine("registry"), "models", "register", "iris", RegistryScenario.IrisModel, "--columns", "a,b,c,d")).ShouldSucceed();
        (await SlipwayExecutable.RunAsync(work.Path, environment, "--registry", work.Combine("registry"), "predict", "models:/iris/1", "--input", work.Combine("rows.csv"), "--output", work.Combine("scored.csv"))).ShouldSucceed();

        Assert.Equal(3, (await File.ReadAllLinesAsync(work.Combine("scored.csv"))).Length);
        Assert.Empty(Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories));
    }
}
