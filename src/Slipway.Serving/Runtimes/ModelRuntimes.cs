using Slipway.Core.Registry;
using Slipway.Packaging;
using Slipway.Serving.Runtimes.Mlnet;
using Slipway.Serving.Runtimes.Onnx;

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
    public static IModelRuntime Load(string packageDirectory, string name, string version, RuntimeOptions options)
    {
        // Loading is synchronous work (reading and compiling a model) on a background path: MLmodel is a small file.
        return LoadAsync(packageDirectory, name, version, options, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>As <see cref="Load"/>, reading the package's small text files asynchronously.</summary>
    /// <exception cref="Slipway.Core.Registry.RegistryException">Invalid when the package has no servable flavor or its model cannot be loaded.</exception>
    public static async Task<IModelRuntime> LoadAsync(
        string packageDirectory, string name, string version, RuntimeOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packageDirectory);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(options);

        var model = await MlModelFile.ReadAsync(packageDirectory, cancellationToken).ConfigureAwait(false);
        var example = await ReadInputExampleAsync(packageDirectory, model, cancellationToken).ConfigureAwait(false);
        if (model.Flavors.TryGetValue("onnx", out var onnx))
        {
            var path = ModelFile(packageDirectory, "onnx", onnx, "model.onnx");
            return OnnxModelRuntime.Load(path, name, version, model.Signature, example, options);
        }

        if (model.Flavors.TryGetValue("mlnet", out var mlnet))
        {
            var path = ModelFile(packageDirectory, "mlnet", mlnet, "model.zip");
            return MlnetModelRuntime.Load(path, name, version, model.Signature, example, options);
        }

        throw RegistryException.Invalid(
            $"model '{name}' version {version} has no servable flavor: Slipway serves onnx and mlnet; this package has {string.Join(", ", model.Flavors.Keys.Order(StringComparer.Ordinal))}.");
    }

    private static string ModelFile(string packageDirectory, string flavor, IReadOnlyDictionary<string, object?> settings, string fallback)
    {
        // MLflow's onnx flavor and Slipway's packager both name the model file under "data".
        var relative = settings.TryGetValue("data", out var data) && data is string text && text.Length > 0 ? text : fallback;
        var path = Path.GetFullPath(Path.Combine(packageDirectory, relative));
        var root = Path.GetFullPath(packageDirectory);
        if (!path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw RegistryException.Invalid($"MLmodel.flavors.{flavor}.data: '{relative}' points outside the model directory.");
        }

        if (!File.Exists(path))
        {
            throw RegistryException.Invalid($"MLmodel.flavors.{flavor}.data: the model file '{relative}' is not in the package.");
        }

        return path;
    }

    private static async Task<string?> ReadInputExampleAsync(string packageDirectory, MlModelFile model, CancellationToken cancellationToken)
    {
        var relative = model.SavedInputExampleInfo is { } info && info.TryGetValue("artifact_path", out var value) && value is string text
            ? text
            : "input_example.json";
        var path = Path.Combine(packageDirectory, relative);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }
}
