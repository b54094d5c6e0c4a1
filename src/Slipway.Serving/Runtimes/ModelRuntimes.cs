namespace Slipway.Serving.Runtimes;

/// <summary>Loads a model package (an MLflow model directory) with the runtime of its flavor.</summary>
public static class ModelRuntimes
{
    /// <summary>
    /// Loads the package in <paramref name="packageDirectory"/>: the <c>onnx</c> flavor with ONNX Runtime, the
    /// <c>mlnet</c> flavor with ML.NET. The returned runtime's contract carries <paramref name="name"/> and
    /// <paramref name="version"/>.
    /// </summary>
    /// <exception cref="Slipway.Core.Registry.RegistryException">Invalid when the package has no servable flavor or its model cannot be loaded.</exception>
    public static IModelRuntime Load(string packageDirectory, string name, string version, RuntimeOptions options) =>
        throw new NotSupportedException("model runtimes are not built yet.");
}
