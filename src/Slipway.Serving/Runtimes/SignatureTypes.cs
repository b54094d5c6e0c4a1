using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Runtimes;

/// <summary>Maps MLflow signature types onto the serving tensor types every runtime shares.</summary>
internal static class SignatureTypes
{
    /// <summary>
    /// The tensor type of a column: integer→INT32, long→INT64, float→FP32, double→FP64, boolean→BOOL, string→BYTES.
    /// </summary>
    /// <exception cref="RegistryException">
    /// Invalid for <c>binary</c> and <c>datetime</c>: no ONNX or ML.NET tensor type carries them one to one, and guessing
    /// an encoding (base64 text, ticks) would silently change what the model sees.
    /// </exception>
    public static TensorType ToTensorType(ColumnSpec column, string field) => column.Type switch
    {
        ColumnType.Integer => TensorType.Int32,
        ColumnType.Long => TensorType.Int64,
        ColumnType.Float => TensorType.Float32,
        ColumnType.Double => TensorType.Float64,
        ColumnType.Boolean => TensorType.Bool,
        ColumnType.String => TensorType.String,
        _ => throw RegistryException.Invalid(
            $"{field}: column '{column.Name}' has type {column.Type.ToMlflowName()}, which cannot be served; use string, a number or boolean."),
    };

    /// <summary>The tensor type of a tensor spec's numpy dtype.</summary>
    /// <exception cref="RegistryException">Invalid for a dtype without a tensor type (e.g. <c>datetime64[ns]</c>).</exception>
    public static TensorType ToTensorType(TensorSpec tensor, string field) =>
        TensorTypes.TryParseNumpyName(tensor.DType, out var type)
            ? type
            : throw RegistryException.Invalid($"{field}: tensor '{tensor.Name}' has dtype {tensor.DType}, which cannot be served.");
}
