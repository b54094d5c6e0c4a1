using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Writes <c>{"predictions": ...}</c> as MLflow's ONNX flavor and <c>predictions_to_json</c> produce it. A model with a
/// column-based signature receives a data frame in MLflow and answers one: a list of records, one object per row
/// mapping each output name to its value (a scalar, or a list for an output with several values per row). A model
/// with a tensor-based signature answers a dict: each output name mapped to its nested list. Floating values are
/// written as Python writes them (<c>1.0</c>, <c>NaN</c>, <c>Infinity</c>); float32 values with their own shortest digits.
/// </summary>
public static class MlflowResponseWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Writes the response body for <paramref name="result"/> into <paramref name="output"/>.</summary>
    /// <param name="output">Where the UTF-8 JSON goes.</param>
    /// <param name="result">The model's outputs.</param>
    public static void Write(IBufferWriter<byte> output, InferenceResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        using var writer = new Utf8JsonWriter(output, Options);
        writer.WriteStartObject();
        writer.WritePropertyName("predictions"u8);
        if (result.Contract.IsTabular && SharesRows(result.Outputs))
        {
            WriteRecords(writer, result.Outputs);
        }
        else
        {
            writer.WriteStartObject();
            foreach (var tensor in result.Outputs)
            {
                writer.WritePropertyName(tensor.Name);
                WriteRange(writer, tensor, 0, tensor.Shape, 0);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static bool SharesRows(IReadOnlyList<Tensor> outputs)
    {
        if (outputs.Count == 0)
        {
            return false;
        }

        foreach (var tensor in outputs)
        {
            if (tensor.Shape.Length == 0 || tensor.Shape[0] != outputs[0].Shape[0])
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteRecords(Utf8JsonWriter writer, IReadOnlyList<Tensor> outputs)
    {
        var rows = outputs[0].Shape[0];
        var names = new JsonEncodedText[outputs.Count];
        for (var o = 0; o < outputs.Count; o++)
        {
            names[o] = JsonEncodedText.Encode(outputs[o].Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        }

        writer.WriteStartArray();
        for (long r = 0; r < rows; r++)
        {
            writer.WriteStartObject();
            for (var o = 0; o < outputs.Count; o++)
            {
                var tensor = outputs[o];
                writer.WritePropertyName(names[o]);
                var perRow = rows == 0 ? 0 : tensor.ElementCount / rows;
                if (perRow == 1)
                {
                    // MLflow flattens each output (reshape(-1)), so one value per row is a scalar.
                    WriteElement(writer, tensor, r);
                }
                else
                {
                    WriteRange(writer, tensor, r * perRow, tensor.Shape, 1);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes the nested list for dimensions <paramref name="dimension"/>.. starting at element <paramref name="offset"/>.</summary>
    private static long WriteRange(Utf8JsonWriter writer, Tensor tensor, long offset, long[] shape, int dimension)
    {
        if (dimension == shape.Length)
        {
            WriteElement(writer, tensor, offset);
            return offset + 1;
        }

        writer.WriteStartArray();
        if (dimension == shape.Length - 1)
        {
            WriteElements(writer, tensor, offset, shape[dimension]);
            offset += shape[dimension];
        }
        else
        {
            for (long i = 0; i < shape[dimension]; i++)
            {
                offset = WriteRange(writer, tensor, offset, shape, dimension + 1);
            }
        }

        writer.WriteEndArray();
        return offset;
    }

    private static void WriteElements(Utf8JsonWriter writer, Tensor tensor, long offset, long count)
    {
        var start = checked((int)offset);
        var end = checked((int)(offset + count));
        Span<byte> buffer = stackalloc byte[40];
        switch (tensor.Data)
        {
            case float[] floats:
                for (var i = start; i < end; i++)
                {
                    writer.WriteRawValue(buffer[..PythonFloat.Format(floats[i], buffer)], skipInputValidation: true);
                }

                break;
            case double[] doubles:
                for (var i = start; i < end; i++)
                {
                    writer.WriteRawValue(buffer[..PythonFloat.Format(doubles[i], buffer)], skipInputValidation: true);
                }

                break;
            case long[] longs:
                for (var i = start; i < end; i++)
                {
                    writer.WriteNumberValue(longs[i]);
                }

                break;
            default:
                for (long i = start; i < end; i++)
                {
                    WriteElement(writer, tensor, i);
                }

                break;
        }
    }

    private static void WriteElement(Utf8JsonWriter writer, Tensor tensor, long index)
    {
        var i = checked((int)index);
        Span<byte> buffer = stackalloc byte[40];
        switch (tensor.Data)
        {
            case float[] v: writer.WriteRawValue(buffer[..PythonFloat.Format(v[i], buffer)], skipInputValidation: true); break;
            case double[] v: writer.WriteRawValue(buffer[..PythonFloat.Format(v[i], buffer)], skipInputValidation: true); break;
            case Half[] v: writer.WriteRawValue(buffer[..PythonFloat.Format((float)v[i], buffer)], skipInputValidation: true); break;
            case long[] v: writer.WriteNumberValue(v[i]); break;
            case int[] v: writer.WriteNumberValue(v[i]); break;
            case short[] v: writer.WriteNumberValue(v[i]); break;
            case sbyte[] v: writer.WriteNumberValue(v[i]); break;
            case byte[] v: writer.WriteNumberValue(v[i]); break;
            case ushort[] v: writer.WriteNumberValue(v[i]); break;
            case uint[] v: writer.WriteNumberValue(v[i]); break;
            case ulong[] v: writer.WriteNumberValue(v[i]); break;
            case bool[] v: writer.WriteBooleanValue(v[i]); break;
            case string?[] v:
                if (v[i] is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(v[i]);
                }

                break;
            default: throw new InvalidOperationException($"output '{tensor.Name}' has an unsupported element type {tensor.Type}.");
        }
    }
}
