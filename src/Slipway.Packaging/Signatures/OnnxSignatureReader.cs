using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Packaging.Onnx;

namespace Slipway.Packaging;

/// <summary>Reads an MLflow signature from an ONNX graph's inputs and outputs with ONNX Runtime.</summary>
/// <remarks>
/// Rules: with column names, the model must take one 2-D float or double tensor whose second dimension equals the
/// number of names, and the inputs become named columns. Without names, a model whose several inputs are all
/// one-value-per-row tensors (shape <c>[-1, 1]</c> or <c>[-1]</c>) of column-like types (as ML.NET exports them)
/// gets one column per input; any other model gets a tensor-based signature. Outputs are always tensors; outputs
/// that are not tensors (sequences, maps) are left out, and a model with none gets no output schema.
/// </remarks>
public static class OnnxSignatureReader
{
    /// <summary>Reads the signature of the ONNX model at <paramref name="onnxPath"/>.</summary>
    /// <param name="onnxPath">An ONNX model file.</param>
    /// <param name="columnNames">Optional names for the columns of a single 2-D float/double input.</param>
    /// <exception cref="RegistryException">Invalid when the file is not an ONNX model or the names do not fit it.</exception>
    public static ModelSignature Read(string onnxPath, IReadOnlyList<string>? columnNames = null)
    {
        using var session = Open(onnxPath);
        return Read(session, columnNames);
    }

    /// <summary>The ONNX Runtime version that reads the models, e.g. <c>1.31.1</c>.</summary>
    public static string RuntimeVersion => OnnxRuntimeEnvironment.Instance.GetVersionString();

    /// <summary>Reads the signature from an open session; see <see cref="Read(string, IReadOnlyList{string}?)"/>.</summary>
    /// <exception cref="RegistryException">Invalid when the names do not fit the model's input.</exception>
    public static ModelSignature Read(InferenceSession session, IReadOnlyList<string>? columnNames = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var inputs = session.InputMetadata.ToArray();
        SignatureSchema inputSchema;
        if (columnNames is { Count: > 0 })
        {
            inputSchema = NamedColumns(inputs, columnNames);
        }
        else if (inputs.Length > 1 && inputs.All(i => IsPerRowColumn(i.Value)))
        {
            inputSchema = SignatureSchema.FromColumns(
                inputs.Select(i => new ColumnSpec(ToColumnType(i.Value.ElementDataType)!.Value, i.Key)), "signature.inputs");
        }
        else
        {
            inputSchema = SignatureSchema.FromTensors(inputs.Select(i => ToTensor(i.Key, i.Value, "input")), "signature.inputs");
        }

        var outputs = session.OutputMetadata.Where(o => o.Value.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && ToDType(o.Value.ElementDataType) is not null).ToArray();
        var outputSchema = outputs.Length == 0
            ? null
            : SignatureSchema.FromTensors(outputs.Select(o => ToTensor(o.Key, o.Value, "output")), "signature.outputs");
        return new ModelSignature(inputSchema, outputSchema);
    }

    /// <summary>Opens a metadata-only session: one thread, no spinning, no graph optimisation, errors-only logging.</summary>
    /// <exception cref="RegistryException">Invalid when the file is missing or is not a model ONNX Runtime can load.</exception>
    public static InferenceSession Open(string onnxPath)
    {
        if (!File.Exists(onnxPath))
        {
            throw RegistryException.Invalid($"model file '{onnxPath}' does not exist.");
        }

        _ = OnnxRuntimeEnvironment.Instance;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            return new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"'{Path.GetFileName(onnxPath)}' is not a valid ONNX model: {FirstLine(e.Message)}", e);
        }
    }

    private static SignatureSchema NamedColumns(KeyValuePair<string, NodeMetadata>[] inputs, IReadOnlyList<string> names)
    {
        if (inputs.Length != 1)
        {
            throw RegistryException.Invalid($"column names need a model with one input tensor; this model has {inputs.Length} inputs ({string.Join(", ", inputs.Select(i => i.Key))}).");
        }

        var (inputName, input) = inputs[0];
        var type = input.ElementDataType switch
        {
            TensorElementType.Float => ColumnType.Float,
            TensorElementType.Double => ColumnType.Double,
            _ => throw RegistryException.Invalid($"column names need a float or double input; input '{inputName}' is {input.ElementDataType}."),
        };
        if (input.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR || input.Dimensions.Length != 2)
        {
            throw RegistryException.Invalid($"column names need a 2-D input tensor; input '{inputName}' has shape [{string.Join(", ", input.Dimensions)}].");
        }

        var width = input.Dimensions[1];
        if (width > 0 && width != names.Count)
        {
            throw RegistryException.Invalid($"{names.Count} column names given, but input '{inputName}' has {width} columns.");
        }

        return SignatureSchema.FromColumns(names.Select(n => new ColumnSpec(type, n)), "columns");
    }

    private static bool IsPerRowColumn(NodeMetadata input) =>
        input.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR
        && ToColumnType(input.ElementDataType) is not null
        && (input.Dimensions.Length == 1 || (input.Dimensions.Length == 2 && input.Dimensions[1] == 1));

    private static TensorSpec ToTensor(string name, NodeMetadata node, string side)
    {
        if (node.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw RegistryException.Invalid($"{side} '{name}' is a {node.OnnxValueType}, not a tensor; it cannot be described by a signature.");
        }

        var dtype = ToDType(node.ElementDataType)
            ?? throw RegistryException.Invalid($"{side} '{name}' has element type {node.ElementDataType}, which has no MLflow dtype.");

        // ONNX Runtime reports symbolic dimensions (e.g. "batch") as -1, which is MLflow's "any size".
        return new TensorSpec(dtype, node.Dimensions.Select(d => d < 0 ? -1L : d).ToArray(), name);
    }

    private static string? ToDType(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Float16 => "float16",
        TensorElementType.Int8 => "int8",
        TensorElementType.Int16 => "int16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "str",
        _ => null,
    };

    private static ColumnType? ToColumnType(TensorElementType type) => type switch
    {
        TensorElementType.Float => ColumnType.Float,
        TensorElementType.Double => ColumnType.Double,
        TensorElementType.Int32 => ColumnType.Integer,
        TensorElementType.Int64 => ColumnType.Long,
        TensorElementType.Bool => ColumnType.Boolean,
        TensorElementType.String => ColumnType.String,
        _ => null,
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
