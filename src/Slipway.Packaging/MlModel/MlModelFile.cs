using System.Globalization;
using System.Text;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Slipway.Packaging;

/// <summary>
/// The <c>MLmodel</c> file of an MLflow model directory, read and written exactly as MLflow does
/// (PyYAML <c>safe_dump</c>: keys sorted, block style, 80-column folding, signature parts as JSON strings).
/// </summary>
/// <remarks>
/// Flavor settings and unknown top-level keys are kept as plain values: <see cref="string"/>, <see cref="bool"/>,
/// <see cref="long"/>, <see cref="double"/>, <see langword="null"/>, <see cref="IReadOnlyList{T}"/> of values and
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/> of string to value, so a file written by MLflow reads and writes
/// back unchanged.
/// </remarks>
public sealed record MlModelFile
{
    /// <summary>The file name inside a model directory: <c>MLmodel</c>.</summary>
    public const string FileName = "MLmodel";

    /// <summary>The run-relative path the model was logged under; <see langword="null"/> (omitted) for a saved model.</summary>
    public string? ArtifactPath { get; init; }

    /// <summary>The run that logged the model; <see langword="null"/> (omitted) when none.</summary>
    public string? RunId { get; init; }

    /// <summary>A 32-hex-digit id of this model package, e.g. <c>3f1c2e0b9a8d4c7e8f6a5b4c3d2e1f00</c>.</summary>
    public string? ModelUuid { get; init; }

    /// <summary>Creation time in MLflow's text form, UTC: <c>2024-03-11 09:15:42.123456</c> (see <see cref="FormatTime"/>).</summary>
    public string? UtcTimeCreated { get; init; }

    /// <summary>The MLflow version that wrote the file; <see langword="null"/> (omitted) when not written by MLflow.</summary>
    public string? MlflowVersion { get; init; }

    /// <summary>Total size of the model files in bytes, as MLflow records it; <see langword="null"/> (omitted) when unknown.</summary>
    public long? ModelSizeBytes { get; init; }

    /// <summary>Flavor name (<c>onnx</c>, <c>python_function</c>, <c>mlnet</c>, ...) to its settings.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Flavors { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, object?>>();

    /// <summary>The model signature; <see langword="null"/> (omitted) when unknown.</summary>
    public ModelSignature? Signature { get; init; }

    /// <summary>
    /// Where the input example is and how it is encoded, e.g.
    /// <c>{artifact_path: input_example.json, pandas_orient: split, type: dataframe}</c>; <see langword="null"/> when none.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? SavedInputExampleInfo { get; init; }

    /// <summary>Other top-level keys (e.g. <c>metadata</c>, <c>databricks_runtime</c>), kept verbatim.</summary>
    public IReadOnlyDictionary<string, object?> Extra { get; init; } = new Dictionary<string, object?>();

    /// <summary>Formats a time the way MLflow writes <c>utc_time_created</c> (Python's <c>str(datetime)</c>).</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var microseconds = (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10);
        return microseconds == 0
            ? utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "." + microseconds.ToString("000000", CultureInfo.InvariantCulture);
    }

    /// <summary>Reads and validates the <c>MLmodel</c> file of <paramref name="modelDirectory"/>.</summary>
    /// <exception cref="RegistryException">Invalid when the file is missing, not YAML, or its signature is malformed.</exception>
    public static async Task<MlModelFile> ReadAsync(string modelDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path))
        {
            throw RegistryException.Invalid($"'{modelDirectory}' is not an MLflow model directory: it has no {FileName} file.");
        }

        return Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Parses the text of an <c>MLmodel</c> file.</summary>
    /// <exception cref="RegistryException">Invalid, naming the field, when the YAML or a field is malformed.</exception>
    public static MlModelFile Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"{FileName}: not valid YAML ({e.Message})", e);
        }

        if (stream.Documents.Count == 0 || ToValue(stream.Documents[0].RootNode) is not IReadOnlyDictionary<string, object?> root)
        {
            throw RegistryException.Invalid($"{FileName}: expected a YAML mapping at the top level.");
        }

        var extra = new Dictionary<string, object?>(root, StringComparer.Ordinal);
        foreach (var known in new[] { "artifact_path", "run_id", "model_uuid", "utc_time_created", "mlflow_version", "model_size_bytes", "flavors", "signature", "saved_input_example_info" })
        {
            extra.Remove(known);
        }

        return new MlModelFile
        {
            ArtifactPath = OptionalString(root, "artifact_path"),
            RunId = OptionalString(root, "run_id"),
            ModelUuid = OptionalString(root, "model_uuid"),
            UtcTimeCreated = OptionalString(root, "utc_time_created"),
            MlflowVersion = OptionalString(root, "mlflow_version"),
            ModelSizeBytes = root.TryGetValue("model_size_bytes", out var size) && size is not null
                ? size as long? ?? throw RegistryException.Invalid($"{FileName}.model_size_bytes: expected an integer.")
                : null,
            Flavors = ReadFlavors(root),
            Signature = ReadSignature(root),
            SavedInputExampleInfo = root.TryGetValue("saved_input_example_info", out var info) && info is not null
                ? info as IReadOnlyDictionary<string, object?> ?? throw RegistryException.Invalid($"{FileName}.saved_input_example_info: expected a mapping.")
                : null,
            Extra = extra,
        };
    }

    /// <summary>The file's text, exactly as MLflow's <c>Model.to_yaml</c> would write the same content.</summary>
    public string ToYaml()
    {
        var root = new SortedDictionary<string, object?>(Extra.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        AddIfSet(root, "artifact_path", ArtifactPath);
        AddIfSet(root, "run_id", RunId);
        root["model_uuid"] = ModelUuid;
        root["utc_time_created"] = UtcTimeCreated;
        AddIfSet(root, "mlflow_version", MlflowVersion);
        AddIfSet(root, "model_size_bytes", ModelSizeBytes);
        root["flavors"] = Flavors.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
        if (Signature is not null)
        {
            root["signature"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["inputs"] = Signature.InputsJson,
                ["outputs"] = Signature.OutputsJson,
                ["params"] = Signature.ParamsJson,
            };
        }

        AddIfSet(root, "saved_input_example_info", SavedInputExampleInfo);

        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };

        // PyYAML's defaults: indent 2, fold at 80 columns, sequences not indented under their key.
        var emitter = new Emitter(text, new EmitterSettings(2, 80, false, 1024, false, false, "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        EmitValue(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    /// <summary>Writes the file into <paramref name="modelDirectory"/> as <c>MLmodel</c>.</summary>
    public Task WriteAsync(string modelDirectory, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(modelDirectory, FileName), ToYaml(), new UTF8Encoding(false), cancellationToken);

    private static void AddIfSet(SortedDictionary<string, object?> root, string key, object? value)
    {
        if (value is not null)
        {
            root[key] = value;
        }
    }

    private static void EmitValue(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case string text:
                // A string PyYAML would read back as another type is single-quoted; otherwise the emitter
                // picks plain or quoted by the same rules PyYAML uses.
                var style = YamlScalars.NeedsQuotes(text) ? ScalarStyle.SingleQuoted : ScalarStyle.Any;
                emitter.Emit(new Scalar(null, null, text, style, true, true));
                break;
            case bool flag:
                emitter.Emit(new Scalar(null, null, flag ? "true" : "false", ScalarStyle.Plain, true, false));
                break;
            case long or int:
                emitter.Emit(new Scalar(null, null, Convert.ToString(value, CultureInfo.InvariantCulture)!, ScalarStyle.Plain, true, false));
                break;
            case double number:
                emitter.Emit(new Scalar(null, null, YamlScalars.FormatDouble(number), ScalarStyle.Plain, true, false));
                break;
            case IReadOnlyDictionary<string, object?> map:
                EmitMapping(emitter, map);
                break;
            case IDictionary<string, object?> map:
                EmitMapping(emitter, map.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
                break;
            case System.Collections.IEnumerable items:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in items)
                {
                    EmitValue(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                throw new ArgumentException($"Cannot write a {value.GetType().Name} into {FileName}.", nameof(value));
        }
    }

    private static void EmitMapping(IEmitter emitter, IReadOnlyDictionary<string, object?> map)
    {
        if (map.Count == 0)
        {
            // PyYAML writes an empty mapping in flow style even with default_flow_style=False.
            emitter.Emit(new MappingStart(null, null, true, MappingStyle.Flow));
            emitter.Emit(new MappingEnd());
            return;
        }

        emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
        foreach (var pair in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            EmitValue(emitter, pair.Key);
            EmitValue(emitter, pair.Value);
        }

        emitter.Emit(new MappingEnd());
    }

    private static object? ToValue(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
            ? YamlScalars.Resolve(scalar.Value ?? string.Empty)
            : scalar.Value ?? string.Empty,
        YamlSequenceNode sequence => sequence.Children.Select(ToValue).ToArray(),
        YamlMappingNode mapping => mapping.Children.ToDictionary(
            p => p.Key is YamlScalarNode key ? key.Value ?? string.Empty : throw RegistryException.Invalid($"{FileName}: mapping keys must be scalars."),
            p => ToValue(p.Value),
            StringComparer.Ordinal),
        _ => throw RegistryException.Invalid($"{FileName}: aliases and other YAML node kinds are not supported."),
    };

    private static string? OptionalString(IReadOnlyDictionary<string, object?> root, string key) =>
        root.TryGetValue(key, out var value) ? value switch
        {
            null => null,
            string text => text,

            // A plain scalar such as a version "2" or a uuid made of digits reads as a number; keep its text.
            long or double or bool => Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => throw RegistryException.Invalid($"{FileName}.{key}: expected a string."),
        } : null;

    private static Dictionary<string, IReadOnlyDictionary<string, object?>> ReadFlavors(IReadOnlyDictionary<string, object?> root)
    {
        if (!root.TryGetValue("flavors", out var flavors) || flavors is not IReadOnlyDictionary<string, object?> map || map.Count == 0)
        {
            throw RegistryException.Invalid($"{FileName}.flavors: missing; a model needs at least one flavor.");
        }

        var result = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var (name, settings) in map)
        {
            result[name] = settings switch
            {
                IReadOnlyDictionary<string, object?> values => values,
                null => new Dictionary<string, object?>(),
                _ => throw RegistryException.Invalid($"{FileName}.flavors.{name}: expected a mapping."),
            };
        }

        return result;
    }

    private static ModelSignature? ReadSignature(IReadOnlyDictionary<string, object?> root)
    {
        if (!root.TryGetValue("signature", out var value) || value is null)
        {
            return null;
        }

        if (value is not IReadOnlyDictionary<string, object?> signature)
        {
            throw RegistryException.Invalid($"{FileName}.signature: expected a mapping with inputs, outputs and params.");
        }

        string? Part(string key) => signature.TryGetValue(key, out var part) ? part switch
        {
            null => null,
            string json => json,
            _ => throw RegistryException.Invalid($"{FileName}.signature.{key}: expected a JSON string."),
        } : null;

        return ModelSignature.FromJson(Part("inputs"), Part("outputs"), Part("params"), $"{FileName}.signature");
    }
}
