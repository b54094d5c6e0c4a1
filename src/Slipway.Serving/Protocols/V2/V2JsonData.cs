using System.Text.Json;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.V2;

/// <summary>
/// Reads a V2 input's JSON <c>data</c> (flat or nested, row-major) straight into a typed array: one generic loop per
/// element type, specialised by a struct reader, so no value is boxed and nothing is allocated per element.
/// </summary>
internal static class V2JsonData
{
    /// <summary>
    /// Reads the value at <paramref name="reader"/> (an array, possibly nested, or a single value) into an array of
    /// exactly <paramref name="count"/> elements of <paramref name="type"/>.
    /// </summary>
    /// <exception cref="ScoringException">400 naming <paramref name="field"/> when an element has the wrong kind or the count differs.</exception>
    public static Array Read(ref Utf8JsonReader reader, TensorType type, int count, string field) => type switch
    {
        TensorType.Bool => Read<bool, BoolReader>(ref reader, count, field),
        TensorType.UInt8 => Read<byte, UInt8Reader>(ref reader, count, field),
        TensorType.UInt16 => Read<ushort, UInt16Reader>(ref reader, count, field),
        TensorType.UInt32 => Read<uint, UInt32Reader>(ref reader, count, field),
        TensorType.UInt64 => Read<ulong, UInt64Reader>(ref reader, count, field),
        TensorType.Int8 => Read<sbyte, Int8Reader>(ref reader, count, field),
        TensorType.Int16 => Read<short, Int16Reader>(ref reader, count, field),
        TensorType.Int32 => Read<int, Int32Reader>(ref reader, count, field),
        TensorType.Int64 => Read<long, Int64Reader>(ref reader, count, field),
        TensorType.Float16 => Read<Half, Float16Reader>(ref reader, count, field),
        TensorType.Float32 => Read<float, Float32Reader>(ref reader, count, field),
        TensorType.Float64 => Read<double, Float64Reader>(ref reader, count, field),
        TensorType.String => Read<string, StringReader>(ref reader, count, field),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown tensor type"),
    };

    private static T[] Read<T, TReader>(ref Utf8JsonReader reader, int count, string field)
        where TReader : struct, IElementReader<T>
    {
        var values = new T[count];
        var index = 0;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            // A scalar tensor (shape []) may carry its one value without brackets.
            ReadOne<T, TReader>(ref reader, values, ref index, field);
        }
        else
        {
            var depth = 0;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    depth++;
                }
                else if (reader.TokenType == JsonTokenType.EndArray)
                {
                    if (depth-- == 0)
                    {
                        break;
                    }
                }
                else
                {
                    ReadOne<T, TReader>(ref reader, values, ref index, field);
                }
            }
        }

        if (index != count)
        {
            throw ScoringException.BadRequest($"{field}: holds {index} values but the shape needs {count}.");
        }

        return values;
    }

    private static void ReadOne<T, TReader>(ref Utf8JsonReader reader, T[] values, ref int index, string field)
        where TReader : struct, IElementReader<T>
    {
        if (index >= values.Length)
        {
            throw ScoringException.BadRequest($"{field}: holds more values than the shape's {values.Length}.");
        }

        if (!TReader.TryRead(ref reader, out values[index]))
        {
            throw ScoringException.BadRequest($"{field}[{index}]: expected {TReader.Expected}.");
        }

        index++;
    }

    private static bool TryNonFinite(ref Utf8JsonReader reader, out double value)
    {
        // JSON has no NaN or infinity: accept the names numpy and Python print (numpy parses them back from strings too).
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("NaN") || reader.ValueTextEquals("nan"))
            {
                value = double.NaN;
                return true;
            }

            if (reader.ValueTextEquals("Infinity") || reader.ValueTextEquals("inf"))
            {
                value = double.PositiveInfinity;
                return true;
            }

            if (reader.ValueTextEquals("-Infinity") || reader.ValueTextEquals("-inf"))
            {
                value = double.NegativeInfinity;
                return true;
            }
        }

        value = 0;
        return false;
    }

    private interface IElementReader<T>
    {
        static abstract string Expected { get; }

        static abstract bool TryRead(ref Utf8JsonReader reader, out T value);
    }

    private readonly struct BoolReader : IElementReader<bool>
    {
        public static string Expected => "true or false (BOOL)";

        public static bool TryRead(ref Utf8JsonReader reader, out bool value)
        {
            value = reader.TokenType == JsonTokenType.True;
            return reader.TokenType is JsonTokenType.True or JsonTokenType.False;
        }
    }

    private readonly struct UInt8Reader : IElementReader<byte>
    {
        public static string Expected => "an integer in 0..255 (UINT8)";

        public static bool TryRead(ref Utf8JsonReader reader, out byte value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out value);
        }
    }

    private readonly struct UInt16Reader : IElementReader<ushort>
    {
        public static string Expected => "an integer in 0..65535 (UINT16)";

        public static bool TryRead(ref Utf8JsonReader reader, out ushort value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt16(out value);
        }
    }

    private readonly struct UInt32Reader : IElementReader<uint>
    {
        public static string Expected => "an integer in 0..4294967295 (UINT32)";

        public static bool TryRead(ref Utf8JsonReader reader, out uint value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out value);
        }
    }

    private readonly struct UInt64Reader : IElementReader<ulong>
    {
        public static string Expected => "a non-negative 64-bit integer (UINT64)";

        public static bool TryRead(ref Utf8JsonReader reader, out ulong value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out value);
        }
    }

    private readonly struct Int8Reader : IElementReader<sbyte>
    {
        public static string Expected => "an integer in -128..127 (INT8)";

        public static bool TryRead(ref Utf8JsonReader reader, out sbyte value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetSByte(out value);
        }
    }

    private readonly struct Int16Reader : IElementReader<short>
    {
        public static string Expected => "an integer in -32768..32767 (INT16)";

        public static bool TryRead(ref Utf8JsonReader reader, out short value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetInt16(out value);
        }
    }

    private readonly struct Int32Reader : IElementReader<int>
    {
        public static string Expected => "a 32-bit integer (INT32)";

        public static bool TryRead(ref Utf8JsonReader reader, out int value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
        }
    }

    private readonly struct Int64Reader : IElementReader<long>
    {
        public static string Expected => "a 64-bit integer (INT64)";

        public static bool TryRead(ref Utf8JsonReader reader, out long value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
        }
    }

    private readonly struct Float16Reader : IElementReader<Half>
    {
        public static string Expected => "a number in FP16 range or \"NaN\", \"Infinity\", \"-Infinity\" (FP16)";

        public static bool TryRead(ref Utf8JsonReader reader, out Half value)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number))
            {
                value = (Half)number;
                return !Half.IsInfinity(value);
            }

            var ok = TryNonFinite(ref reader, out number);
            value = (Half)number;
            return ok;
        }
    }

    private readonly struct Float32Reader : IElementReader<float>
    {
        public static string Expected => "a number in FP32 range or \"NaN\", \"Infinity\", \"-Infinity\" (FP32)";

        public static bool TryRead(ref Utf8JsonReader reader, out float value)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                // TryGetSingle rounds the decimal text once to the nearest float (no detour through double),
                // so a float32 written with shortest round-trip digits comes back bit for bit.
                return reader.TryGetSingle(out value) && float.IsFinite(value);
            }

            var ok = TryNonFinite(ref reader, out var number);
            value = (float)number;
            return ok;
        }
    }

    private readonly struct Float64Reader : IElementReader<double>
    {
        public static string Expected => "a number or \"NaN\", \"Infinity\", \"-Infinity\" (FP64)";

        public static bool TryRead(ref Utf8JsonReader reader, out double value)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return reader.TryGetDouble(out value) && double.IsFinite(value);
            }

            return TryNonFinite(ref reader, out value);
        }
    }

    private readonly struct StringReader : IElementReader<string>
    {
        public static string Expected => "a string (BYTES)";

        public static bool TryRead(ref Utf8JsonReader reader, out string value)
        {
            value = reader.TokenType == JsonTokenType.String ? reader.GetString()! : string.Empty;
            return reader.TokenType == JsonTokenType.String;
        }
    }
}
