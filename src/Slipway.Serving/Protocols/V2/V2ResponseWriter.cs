using System.Buffers;
using System.Text.Json;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.V2;

/// <summary>
/// Writes V2 inference responses: <c>{"model_name", "model_version", "id"?, "outputs": [{"name", "datatype", "shape",
/// "data"}]}</c>, with the outputs the request selected, and those asked for as binary data written after the JSON
/// (each with <c>parameters.binary_data_size</c>). Floating-point values are written with the shortest digits that
/// read back to the same value of their own type (FP32 values as float32, not widened to double); NaN and infinities,
/// which JSON cannot express, as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
/// </summary>
public static class V2ResponseWriter
{
    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    /// <summary>
    /// Writes the response for <paramref name="result"/> to <paramref name="output"/> and returns the headers to send.
    /// Outputs are written in the result's order, limited to those <paramref name="options"/> includes.
    /// </summary>
    /// <param name="output">Where the body goes.</param>
    /// <param name="result">The model's outputs and the version that produced them (<c>model_name</c>, <c>model_version</c>).</param>
    /// <param name="id">The request's <c>id</c> to echo, or null to leave it out.</param>
    /// <param name="options">The request's output selection and binary settings (<see cref="V2Request.Outputs"/>).</param>
    public static V2ResponseHeaders Write(IBufferWriter<byte> output, InferenceResult result, string? id, V2OutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var writer = RentWriter(output);
        var anyBinary = false;
        try
        {
            writer.WriteStartObject();
            writer.WriteString("model_name"u8, result.Contract.Name);
            writer.WriteString("model_version"u8, result.Contract.Version);
            if (id is not null)
            {
                writer.WriteString("id"u8, id);
            }

            writer.WriteStartArray("outputs"u8);
            foreach (var tensor in result.Outputs)
            {
                if (!options.Includes(tensor.Name))
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("name"u8, tensor.Name);
                writer.WriteString("datatype"u8, tensor.Type.ToV2Name());
                writer.WriteStartArray("shape"u8);
                foreach (var dimension in tensor.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                if (options.IsBinary(tensor.Name))
                {
                    anyBinary = true;
                    writer.WriteStartObject("parameters"u8);
                    writer.WriteNumber("binary_data_size"u8, V2BinaryData.SizeOf(tensor));
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WritePropertyName("data"u8);
                    V2JsonValues.WriteData(writer, tensor);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            var headerLength = checked((int)writer.BytesCommitted);
            if (!anyBinary)
            {
                return new V2ResponseHeaders(V2ResponseHeaders.Json, null);
            }

            // The binary data follows the JSON in the same order as the outputs listed there.
            foreach (var tensor in result.Outputs)
            {
                if (options.Includes(tensor.Name) && options.IsBinary(tensor.Name))
                {
                    V2BinaryData.Write(tensor, output);
                }
            }

            return new V2ResponseHeaders(V2ResponseHeaders.Binary, headerLength);
        }
        finally
        {
            // Drop the reference to the caller's buffer so a pooled writer never keeps it alive.
            writer.Reset(NullBufferWriter.Instance);
        }
    }

    /// <summary>A JSON writer over <paramref name="output"/>, reused per thread: the request path allocates none.</summary>
    internal static Utf8JsonWriter RentWriter(IBufferWriter<byte> output)
    {
        var writer = cachedWriter;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
            cachedWriter = writer;
        }
        else
        {
            writer.Reset(output);
        }

        return writer;
    }

    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Array.Empty<byte>();

        public Span<byte> GetSpan(int sizeHint = 0) => [];
    }
}
