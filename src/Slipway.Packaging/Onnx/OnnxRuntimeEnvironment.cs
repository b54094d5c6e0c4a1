using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Slipway.Packaging.Onnx;

/// <summary>
/// The process's ONNX Runtime environment, with ONNX Runtime's telemetry turned off before any session opens. The
/// official Linux builds (1.29 and later) otherwise record every session they open (model file name, graph name,
/// producer, hashes) under <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime</c> and send it to Microsoft: a model server
/// must not report its models elsewhere, nor write into its user's home on every load. The runtime reads its opt-out,
/// <c>ORT_DISABLE_TELEMETRY</c>, from the native environment when the environment is created, which .NET's
/// <see cref="System.Environment.SetEnvironmentVariable(string, string)"/> does not reach on Unix: it is set with libc's
/// <c>setenv</c> (an operator's own value is kept).
/// </summary>
public static partial class OnnxRuntimeEnvironment
{
    private static readonly Lazy<OrtEnv> Environment = new(() =>
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1", overwrite: 0);
        }

        var environment = OrtEnv.Instance();
        environment.DisableTelemetryEvents();
        return environment;
    });

    /// <summary>The environment; call it before creating <see cref="SessionOptions"/> or an <see cref="InferenceSession"/>.</summary>
    public static OrtEnv Instance => Environment.Value;

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironmentVariable(string name, string value, int overwrite);
}
