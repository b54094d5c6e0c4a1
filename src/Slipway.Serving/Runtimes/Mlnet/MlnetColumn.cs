using Microsoft.ML;
using Microsoft.ML.Data;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Runtimes.Mlnet;

/// <summary>An ML.NET column in serving terms: a scalar (<c>[-1]</c>) or a fixed-size vector (<c>[-1, Width]</c>).</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The element's tensor type.</param>
/// <param name="Width">Values per row: 1 for a scalar, the vector size otherwise.</param>
/// <param name="IsVector">Whether the column is a vector.</param>
internal sealed record MlnetColumn(string Name, TensorType Type, int Width, bool IsVector)
{
    /// <summary>The serving shape: <c>[-1]</c> or <c>[-1, Width]</c>.</summary>
    public long[] Shape => IsVector ? [-1, Width] : [-1];

    /// <summary>Describes <paramref name="column"/>, or returns null when it has no tensor form (variable vectors, dates, non-uint keys).</summary>
    public static MlnetColumn? From(DataViewSchema.Column column)
    {
        var (item, size, vector) = column.Type is VectorDataViewType v ? (v.ItemType, v.Size, true) : (column.Type, 1, false);
        if (size == 0 || ToTensorType(item) is not { } type)
        {
            return null;
        }

        return new MlnetColumn(column.Name, type, size, vector);
    }

    /// <summary>The tensor type of an ML.NET item type; keys are their <c>uint</c> index (1-based, 0 for missing).</summary>
    public static TensorType? ToTensorType(DataViewType type) => type switch
    {
        _ when type == NumberDataViewType.Single => TensorType.Float32,
        _ when type == NumberDataViewType.Double => TensorType.Float64,
        _ when type == NumberDataViewType.SByte => TensorType.Int8,
        _ when type == NumberDataViewType.Int16 => TensorType.Int16,
        _ when type == NumberDataViewType.Int32 => TensorType.Int32,
        _ when type == NumberDataViewType.Int64 => TensorType.Int64,
        _ when type == NumberDataViewType.Byte => TensorType.UInt8,
        _ when type == NumberDataViewType.UInt16 => TensorType.UInt16,
        _ when type == NumberDataViewType.UInt32 => TensorType.UInt32,
        _ when type == NumberDataViewType.UInt64 => TensorType.UInt64,
        BooleanDataViewType => TensorType.Bool,
        TextDataViewType => TensorType.String,
        KeyDataViewType key when key.RawType == typeof(uint) => TensorType.UInt32,
        _ => null,
    };
}
