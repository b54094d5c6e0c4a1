using System.Globalization;
using System.Numerics;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>Parses the text of one table cell into a typed slot of an input array, and formats output values as text.</summary>
internal static class TextValues
{
    /// <summary>
    /// Parses <paramref name="text"/> into <paramref name="array"/>[<paramref name="index"/>] as <paramref name="type"/>.
    /// An empty cell is NaN in a float column and an error elsewhere (except text, where it is the empty string).
    /// </summary>
    /// <returns>False when the text is not a value of the type.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, TensorType type, Array array, int index)
    {
        text = text.Trim();
        switch (type)
        {
            case TensorType.Float32:
                return TryParseFloat(text, (float[])array, index);
            case TensorType.Float64:
                return TryParseFloat(text, (double[])array, index);
            case TensorType.Float16:
                return TryParseFloat(text, (Half[])array, index);
            case TensorType.Int64:
                return TryParseInteger(text, (long[])array, index);
            case TensorType.Int32:
                return TryParseInteger(text, (int[])array, index);
            case TensorType.Int16:
                return TryParseInteger(text, (short[])array, index);
            case TensorType.Int8:
                return TryParseInteger(text, (sbyte[])array, index);
            case TensorType.UInt8:
                return TryParseInteger(text, (byte[])array, index);
            case TensorType.UInt16:
                return TryParseInteger(text, (ushort[])array, index);
            case TensorType.UInt32:
                return TryParseInteger(text, (uint[])array, index);
            case TensorType.UInt64:
                return TryParseInteger(text, (ulong[])array, index);
            case TensorType.Bool:
                if (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    ((bool[])array)[index] = true;
                    return true;
                }

                ((bool[])array)[index] = false;
                return text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase);
            case TensorType.String:
                ((string[])array)[index] = text.ToString();
                return true;
            default:
                return false;
        }
    }

    /// <summary>Formats element <paramref name="index"/> of <paramref name="array"/> invariantly (shortest round-trip for floats).</summary>
    public static string Format(Array array, TensorType type, int index)
    {
        var invariant = CultureInfo.InvariantCulture;
        return type switch
        {
            TensorType.Float32 => ((float[])array)[index].ToString(invariant),
            TensorType.Float64 => ((double[])array)[index].ToString(invariant),
            TensorType.Float16 => ((Half[])array)[index].ToString(invariant),
            TensorType.Int64 => ((long[])array)[index].ToString(invariant),
            TensorType.Int32 => ((int[])array)[index].ToString(invariant),
            TensorType.Bool => ((bool[])array)[index] ? "true" : "false",
            TensorType.String => ((string[])array)[index],
            _ => Convert.ToString(array.GetValue(index), invariant) ?? string.Empty,
        };
    }

    // An empty cell in a float column is a missing value: NaN.
    private static bool TryParseFloat<T>(ReadOnlySpan<char> text, T[] array, int index)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (text.IsEmpty)
        {
            array[index] = T.NaN;
            return true;
        }

        var parsed = T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value);
        array[index] = value;
        return parsed;
    }

    private static bool TryParseInteger<T>(ReadOnlySpan<char> text, T[] array, int index)
        where T : struct, IBinaryInteger<T>
    {
        var parsed = T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value);
        array[index] = value;
        return parsed;
    }
}
