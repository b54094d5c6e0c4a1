using Slipway.Core.Registry;
using Slipway.Core.Signatures;

namespace Slipway.Packaging;

/// <summary>
/// Turns a model into a complete MLflow model directory: an existing MLflow model directory (validated, copied as is),
/// a bare <c>.onnx</c> file (<c>onnx</c> + <c>python_function</c> flavors, signature read from the graph) or an
/// ML.NET <c>.zip</c> (<c>mlnet</c> flavor, signature read from the saved schema).
/// </summary>
public static class ModelPackager
{
    /// <summary>The Python version written into <c>python_function</c> and the environment files of ONNX packages.</summary>
    public const string PythonVersion = "3.11.9";

    private static readonly string[] ServedFlavors = ["onnx", "mlnet"];

    /// <summary>
    /// Builds the package.
    /// </summary>
    /// <param name="sourcePath">An MLflow model directory (has <c>MLmodel</c>), a bare <c>.onnx</c> file, or an ML.NET <c>.zip</c>.</param>
    /// <param name="outputDirectory">Where the package goes; created, and must be empty or absent.</param>
    /// <param name="options">Column names and input example for bare model files; must be empty for a model directory.</param>
    /// <param name="time">The clock for <c>utc_time_created</c>.</param>
    /// <param name="cancellationToken">Cancels the copy and writes.</param>
    /// <returns>The package: its directory, serving flavor, signature and files.</returns>
    /// <exception cref="RegistryException">Invalid, with a one-line message, for a missing or malformed source, bad options, or a non-empty output directory.</exception>
    public static async Task<ModelPackage> CreateAsync(
        string sourcePath, string outputDirectory, PackageOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);

        var source = Path.GetFullPath(sourcePath);
        var output = Path.GetFullPath(outputDirectory);
        if (!Directory.Exists(source) && !File.Exists(source))
        {
            throw RegistryException.Invalid($"model path '{sourcePath}' does not exist.");
        }

        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw RegistryException.Invalid($"output directory '{outputDirectory}' is not empty.");
        }

        var created = !Directory.Exists(output);
        Directory.CreateDirectory(output);
        try
        {
            var (flavor, signature) = Directory.Exists(source)
                ? await CopyModelDirectoryAsync(source, output, options, cancellationToken).ConfigureAwait(false)
                : Path.GetExtension(source).ToUpperInvariant() switch
                {
                    ".ONNX" => await PackageOnnxAsync(source, output, options, time, cancellationToken).ConfigureAwait(false),
                    ".ZIP" => await PackageMlnetAsync(source, output, options, time, cancellationToken).ConfigureAwait(false),
                    _ => throw RegistryException.Invalid($"'{Path.GetFileName(source)}' is not a model: expected an MLflow model directory, a .onnx file or an ML.NET .zip."),
                };
            return new ModelPackage(output, flavor, signature, ListFiles(output));
        }
        catch
        {
            // Leave nothing half-written behind: a package is complete or absent.
            if (created)
            {
                Directory.Delete(output, recursive: true);
            }
            else
            {
                foreach (var entry in new DirectoryInfo(output).EnumerateFileSystemInfos())
                {
                    if (entry is DirectoryInfo directory)
                    {
                        directory.Delete(recursive: true);
                    }
                    else
                    {
                        entry.Delete();
                    }
                }
            }

            throw;
        }
    }

    private static async Task<(string Flavor, ModelSignature? Signature)> CopyModelDirectoryAsync(
        string source, string output, PackageOptions options, CancellationToken cancellationToken)
    {
        if (options.ColumnNames is { Count: > 0 } || options.InputExamplePath is not null)
        {
            throw RegistryException.Invalid("column names and input examples apply to bare .onnx or .zip files, not to an MLflow model directory.");
        }

        if (output.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw RegistryException.Invalid("the output directory must not be inside the model directory.");
        }

        var model = await MlModelFile.ReadAsync(source, cancellationToken).ConfigureAwait(false);
        foreach (var (name, settings) in model.Flavors)
        {
            if (settings.TryGetValue("data", out var data) && data is string relative && (name is "onnx" or "mlnet")
                && !File.Exists(Path.Combine(source, relative)) && !Directory.Exists(Path.Combine(source, relative)))
            {
                throw RegistryException.Invalid($"MLmodel.flavors.{name}.data: '{relative}' is not in the model directory.");
            }
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(output, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                var copy = File.Create(target);
                await using (copy.ConfigureAwait(false))
                {
                    await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var flavor = ServedFlavors.FirstOrDefault(model.Flavors.ContainsKey)
            ?? model.Flavors.Keys.Order(StringComparer.Ordinal).FirstOrDefault(k => k != "python_function")
            ?? "python_function";
        return (flavor, model.Signature);
    }

    private static async Task<(string Flavor, ModelSignature? Signature)> PackageOnnxAsync(
        string source, string output, PackageOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        const string data = "model.onnx";
        var signature = OnnxSignatureReader.Read(source, options.ColumnNames);
        File.Copy(source, Path.Combine(output, data));
        var example = await WriteExampleAsync(options, output, signature, cancellationToken).ConfigureAwait(false);
        await WriteEnvironmentFilesAsync(output, cancellationToken).ConfigureAwait(false);

        var flavors = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal)
        {
            ["onnx"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["code"] = null,
                ["data"] = data,

                // No Python onnx package here: the version recorded is that of the ONNX Runtime that validated the model.
                ["onnx_version"] = OnnxSignatureReader.RuntimeVersion,
                ["providers"] = new object?[] { "CPUExecutionProvider" },
            },
            ["python_function"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["data"] = data,
                ["env"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["conda"] = "conda.yaml", ["virtualenv"] = "python_env.yaml" },
                ["loader_module"] = "mlflow.onnx",
                ["python_version"] = PythonVersion,
            },
        };
        await WriteMlModelAsync(output, flavors, signature, example, time, cancellationToken).ConfigureAwait(false);
        return ("onnx", signature);
    }

    private static async Task<(string Flavor, ModelSignature? Signature)> PackageMlnetAsync(
        string source, string output, PackageOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        const string data = "model.zip";
        if (options.ColumnNames is { Count: > 0 })
        {
            throw RegistryException.Invalid("column names apply to ONNX models only; an ML.NET model carries its own column names.");
        }

        var signature = MlnetSignatureReader.Read(source);
        File.Copy(source, Path.Combine(output, data));
        var example = await WriteExampleAsync(options, output, signature, cancellationToken).ConfigureAwait(false);
        var flavors = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal)
        {
            ["mlnet"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["data"] = data,
                ["mlnet_version"] = MlnetSignatureReader.MlnetVersion,
            },
        };
        await WriteMlModelAsync(output, flavors, signature, example, time, cancellationToken).ConfigureAwait(false);
        return ("mlnet", signature);
    }

    private static async Task<IReadOnlyDictionary<string, object?>?> WriteExampleAsync(
        PackageOptions options, string output, ModelSignature signature, CancellationToken cancellationToken) =>
        options.InputExamplePath is null
            ? null
            : await InputExample.WriteAsync(options.InputExamplePath, output, signature, cancellationToken).ConfigureAwait(false);

    private static Task WriteMlModelAsync(
        string output,
        Dictionary<string, IReadOnlyDictionary<string, object?>> flavors,
        ModelSignature signature,
        IReadOnlyDictionary<string, object?>? example,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var model = new MlModelFile
        {
            Flavors = flavors,
            ModelUuid = Guid.NewGuid().ToString("N"),
            UtcTimeCreated = MlModelFile.FormatTime(time.GetUtcNow()),
            ModelSizeBytes = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length),
            Signature = signature,
            SavedInputExampleInfo = example,
        };
        return model.WriteAsync(output, cancellationToken);
    }

    private static async Task WriteEnvironmentFilesAsync(string output, CancellationToken cancellationToken)
    {
        // The files MLflow's python_function flavor points at, so `mlflow models serve` can rebuild an environment.
        await File.WriteAllTextAsync(Path.Combine(output, "requirements.txt"), "mlflow\nonnx\nonnxruntime\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(
            Path.Combine(output, "python_env.yaml"),
            $"python: {PythonVersion}\nbuild_dependencies:\n- pip\ndependencies:\n- -r requirements.txt\n",
            cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(
            Path.Combine(output, "conda.yaml"),
            $"channels:\n- conda-forge\ndependencies:\n- python={PythonVersion}\n- pip\n- pip:\n  - mlflow\n  - onnx\n  - onnxruntime\nname: mlflow-env\n",
            cancellationToken).ConfigureAwait(false);
    }

    private static string[] ListFiles(string output) =>
        Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(output, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
}
