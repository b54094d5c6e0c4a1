namespace Slipway.Serving.Tensors;

/// <summary>
/// The element types a served tensor can hold: the Open Inference Protocol V2 datatypes, each of which maps to one ONNX
/// tensor element type and one .NET array type (see <see cref="TensorTypes"/>).
/// </summary>
#pragma warning disable CA1720 // The members are named after the element types they hold, as the protocols name them.
public enum TensorType
{
    /// <summary>V2 <c>BOOL</c>, ONNX bool, <c>bool[]</c>.</summary>
    Bool,

    /// <summary>V2 <c>UINT8</c>, <c>byte[]</c>.</summary>
    UInt8,

    /// <summary>V2 <c>UINT16</c>, <c>ushort[]</c>.</summary>
    UInt16,

    /// <summary>V2 <c>UINT32</c>, <c>uint[]</c>.</summary>
    UInt32,

    /// <summary>V2 <c>UINT64</c>, <c>ulong[]</c>.</summary>
    UInt64,

    /// <summary>V2 <c>INT8</c>, <c>sbyte[]</c>.</summary>
    Int8,

    /// <summary>V2 <c>INT16</c>, <c>short[]</c>.</summary>
    Int16,

    /// <summary>V2 <c>INT32</c>, <c>int[]</c>.</summary>
    Int32,

    /// <summary>V2 <c>INT64</c>, <c>long[]</c>.</summary>
    Int64,

    /// <summary>V2 <c>FP16</c>, <c>Half[]</c>.</summary>
    Float16,

    /// <summary>V2 <c>FP32</c>, <c>float[]</c>.</summary>
    Float32,

    /// <summary>V2 <c>FP64</c>, <c>double[]</c>.</summary>
    Float64,

    /// <summary>V2 <c>BYTES</c>, ONNX string, <c>string[]</c> (UTF-8 text).</summary>
    String,
}
#pragma warning restore CA1720

/// <summary>Names and array types of <see cref="TensorType"/> in the protocols Slipway speaks.</summary>
public static class TensorTypes
{
    private static readonly string[] V2Names = ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"];
    private static readonly string[] NumpyNames = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "float16", "float32", "float64", "str"];
    private static readonly int[] Sizes = [1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 0];

    /// <summary>The V2 datatype name, e.g. <c>FP32</c>.</summary>
    public static string ToV2Name(this TensorType type) => V2Names[(int)type];

    /// <summary>Parses a V2 datatype name (exact, upper case).</summary>
    public static bool TryParseV2Name(string name, out TensorType type)
    {
        var index = Array.IndexOf(V2Names, name);
        type = (TensorType)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The numpy dtype name MLflow tensor specs use, e.g. <c>float32</c>; <c>str</c> for strings.</summary>
    public static string ToNumpyName(this TensorType type) => NumpyNames[(int)type];

    /// <summary>
    /// Parses an MLflow tensor-spec dtype (a numpy name: <c>float32</c>, <c>int64</c>, <c>bool</c>, <c>str</c>,
    /// <c>object</c>, <c>bytes</c> ...); text and byte dtypes map to <see cref="TensorType.String"/>.
    /// </summary>
    public static bool TryParseNumpyName(string name, out TensorType type)
    {
        switch (name)
        {
            case "str" or "object" or "bytes" or "string":
                type = TensorType.String;
                return true;
            case "float":
                type = TensorType.Float64;
                return true;
            default:
                var index = Array.IndexOf(NumpyNames, name);
                type = (TensorType)Math.Max(index, 0);
                return index >= 0;
        }
    }

    /// <summary>Bytes per element; 0 for <see cref="TensorType.String"/>.</summary>
    public static int ElementSize(this TensorType type) => Sizes[(int)type];

    /// <summary>The .NET element type that holds this tensor type's values.</summary>
    public static Type ElementType(this TensorType type) => type switch
    {
        TensorType.Bool => typeof(bool),
        TensorType.UInt8 => typeof(byte),
        TensorType.UInt16 => typeof(ushort),
        TensorType.UInt32 => typeof(uint),
        TensorType.UInt64 => typeof(ulong),
        TensorType.Int8 => typeof(sbyte),
        TensorType.Int16 => typeof(short),
        TensorType.Int32 => typeof(int),
        TensorType.Int64 => typeof(long),
        TensorType.Float16 => typeof(Half),
        TensorType.Float32 => typeof(float),
        TensorType.Float64 => typeof(double),
        TensorType.String => typeof(string),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown tensor type"),
    };

    /// <summary>A new zero-filled array of <paramref name="length"/> elements of this type.</summary>
    public static Array NewArray(this TensorType type, int length) => Array.CreateInstance(type.ElementType(), length);
}
