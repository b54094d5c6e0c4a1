using Microsoft.ML.OnnxRuntime.Tensors;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Runtimes.Onnx;

/// <summary>Maps ONNX tensor element types to and from the serving tensor types.</summary>
internal static class OnnxTypes
{
    /// <summary>The serving type of an ONNX element type, or null when none carries it (e.g. bfloat16, complex).</summary>
    public static TensorType? ToTensorType(TensorElementType type) => type switch
    {
        TensorElementType.Bool => TensorType.Bool,
        TensorElementType.UInt8 => TensorType.UInt8,
        TensorElementType.UInt16 => TensorType.UInt16,
        TensorElementType.UInt32 => TensorType.UInt32,
        TensorElementType.UInt64 => TensorType.UInt64,
        TensorElementType.Int8 => TensorType.Int8,
        TensorElementType.Int16 => TensorType.Int16,
        TensorElementType.Int32 => TensorType.Int32,
        TensorElementType.Int64 => TensorType.Int64,
        TensorElementType.Float16 => TensorType.Float16,
        TensorElementType.Float => TensorType.Float32,
        TensorElementType.Double => TensorType.Float64,
        TensorElementType.String => TensorType.String,
        _ => null,
    };

    /// <summary>The ONNX element type of a serving type.</summary>
    public static TensorElementType ToElementType(TensorType type) => type switch
    {
        TensorType.Bool => TensorElementType.Bool,
        TensorType.UInt8 => TensorElementType.UInt8,
        TensorType.UInt16 => TensorElementType.UInt16,
        TensorType.UInt32 => TensorElementType.UInt32,
        TensorType.UInt64 => TensorElementType.UInt64,
        TensorType.Int8 => TensorElementType.Int8,
        TensorType.Int16 => TensorElementType.Int16,
        TensorType.Int32 => TensorElementType.Int32,
        TensorType.Int64 => TensorElementType.Int64,
        TensorType.Float16 => TensorElementType.Float16,
        TensorType.Float32 => TensorElementType.Float,
        TensorType.Float64 => TensorElementType.Double,
        TensorType.String => TensorElementType.String,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown tensor type"),
    };

    /// <summary>ONNX Runtime's dimensions with symbolic or unknown ones (reported as negative) as <c>-1</c>.</summary>
    public static long[] ToShape(int[] dimensions)
    {
        var shape = new long[dimensions.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = dimensions[i] < 0 ? -1 : dimensions[i];
        }

        return shape;
    }
}
