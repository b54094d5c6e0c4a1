using System.Text.Json;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.V2;

/// <summary>Writes a tensor's values as a flat JSON array, one typed loop per element type (no boxing).</summary>
internal static class V2JsonValues
{
    /// <summary>Writes <paramref name="tensor"/>'s values as a flat, row-major JSON array.</summary>
    public static void WriteData(Utf8JsonWriter writer, Tensor tensor)
    {
        writer.WriteStartArray();
        switch (tensor.Type)
        {
            case TensorType.Bool:
                foreach (var value in tensor.As<bool>())
                {
                    writer.WriteBooleanValue(value);
                }

                break;
            case TensorType.UInt8:
                foreach (var value in tensor.As<byte>())
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case TensorType.UInt16:
                foreach (var value in tensor.As<ushort>())
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case TensorType.UInt32:
                foreach (var value in tensor.As<uint>())
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case TensorType.UInt64:
                foreach (var value in tensor.As<ulong>())
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case TensorType.Int8:
                foreach (var value in tensor.As<sbyte>())
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case TensorType.Int16:
                foreach (var value in tensor.As<short>())
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case TensorType.Int32:
                foreach (var value in tensor.As<int>())
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case TensorType.Int64:
                foreach (var value in tensor.As<long>())
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case TensorType.Float16:
                Span<byte> digits = stackalloc byte[32];
                foreach (var value in tensor.As<Half>())
                {
                    if (!Half.IsFinite(value))
                    {
                        WriteNonFinite(writer, (double)value);
                    }
                    else
                    {
                        // Half's own shortest round-trip text: 0.1 stays "0.1" instead of the widened 0.099975586.
                        value.TryFormat(digits, out var length, provider: System.Globalization.CultureInfo.InvariantCulture);
                        writer.WriteRawValue(digits[..length], skipInputValidation: true);
                    }
                }

                break;
            case TensorType.Float32:
                foreach (var value in tensor.As<float>())
                {
                    // Utf8JsonWriter formats a float with float32's shortest round-trip digits.
                    if (float.IsFinite(value))
                    {
                        writer.WriteNumberValue(value);
                    }
                    else
                    {
                        WriteNonFinite(writer, value);
                    }
                }

                break;
            case TensorType.Float64:
                foreach (var value in tensor.As<double>())
                {
                    if (double.IsFinite(value))
                    {
                        writer.WriteNumberValue(value);
                    }
                    else
                    {
                        WriteNonFinite(writer, value);
                    }
                }

                break;
            case TensorType.String:
                foreach (var value in tensor.As<string>())
                {
                    writer.WriteStringValue(value);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tensor), tensor.Type, "unknown tensor type");
        }

        writer.WriteEndArray();
    }

    private static void WriteNonFinite(Utf8JsonWriter writer, double value) =>
        writer.WriteStringValue(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8);
}
