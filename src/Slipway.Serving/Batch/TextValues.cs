using System.Globalization;
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
        var invariant = CultureInfo.InvariantCulture;
        text = text.Trim();
        switch (type)
        {
            case TensorType.Float32:
                if (text.IsEmpty)
                {
                    ((float[])array)[index] = float.NaN;
                    return true;
                }

                return Store(float.TryParse(text, NumberStyles.Float, invariant, out var f), f, (float[])array, index);
            case TensorType.Float64:
                if (text.IsEmpty)
                {
                    ((double[])array)[index] = double.NaN;
                    return true;
                }

                return Store(double.TryParse(text, NumberStyles.Float, invariant, out var d), d, (double[])array, index);
            case TensorType.Float16:
                if (text.IsEmpty)
                {
                    ((Half[])array)[index] = Half.NaN;
                    return true;
                }

                return Store(Half.TryParse(text, NumberStyles.Float, invariant, out var h), h, (Half[])array, index);
            case TensorType.Int64:
                return Store(long.TryParse(text, NumberStyles.Integer, invariant, out var l), l, (long[])array, index);
            case TensorType.Int32:
                return Store(int.TryParse(text, NumberStyles.Integer, invariant, out var i), i, (int[])array, index);
            case TensorType.Int16:
                return Store(short.TryParse(text, NumberStyles.Integer, invariant, out var s), s, (short[])array, index);
            case TensorType.Int8:
                return Store(sbyte.TryParse(text, NumberStyles.Integer, invariant, out var sb), sb, (sbyte[])array, index);
            case TensorType.UInt8:
                return Store(byte.TryParse(text, NumberStyles.Integer, invariant, out var b), b, (byte[])array, index);
            case TensorType.UInt16:
                return Store(ushort.TryParse(text, NumberStyles.Integer, invariant, out var us), us, (ushort[])array, index);
            case TensorType.UInt32:
                return Store(uint.TryParse(text, NumberStyles.Integer, invariant, out var ui), ui, (uint[])array, index);
            case TensorType.UInt64:
                return Store(ulong.TryParse(text, NumberStyles.Integer, invariant, out var ul), ul, (ulong[])array, index);
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

    private static bool Store<T>(bool parsed, T value, T[] array, int index)
    {
        array[index] = value;
        return parsed;
    }
}
