using System.Globalization;
using System.Text.Json;
using Slipway.Serving.Binding;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.V2;

/// <summary>
/// Reads Open Inference Protocol V2 inference requests (<c>POST /v2/models/NAME/infer</c>): the JSON request object,
/// optionally followed by binary tensor data when <c>Inference-Header-Content-Length</c> is given (the binary tensor
/// data extension). Every error is a <see cref="ScoringException"/> with status 400 (415 for content types) whose
/// message names the field, e.g. <c>inputs[0] ('x').data[3]: expected a 32-bit integer (INT32)</c>.
/// </summary>
public static class V2RequestReader
{
    /// <summary>The header giving the length in bytes of the JSON part of a body that carries binary tensor data.</summary>
    public const string InferenceHeaderContentLength = "Inference-Header-Content-Length";

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>
    /// Checks whether <paramref name="contentType"/> is one a V2 inference request may carry: none at all (the Triton
    /// client sends none; the body is JSON), <c>application/json</c> (charset, if given, must be UTF-8) or
    /// <c>application/octet-stream</c> (what the binary extension's examples send); media type names are case-insensitive.
    /// </summary>
    /// <exception cref="ScoringException">415 for any other content type or charset.</exception>
    public static void CheckContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return;
        }

        var text = contentType.AsSpan();
        var semicolon = text.IndexOf(';');
        var mediaType = (semicolon < 0 ? text : text[..semicolon]).Trim();
        var parameters = semicolon < 0 ? [] : text[(semicolon + 1)..];
        var json = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        if (!json && !mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw ScoringException.UnsupportedMediaType(
                $"Content-Type '{contentType}' is not supported; send application/json, application/octet-stream (binary tensor data) or no Content-Type.");
        }

        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            if (parameter.IsEmpty)
            {
                continue;
            }

            var equals = parameter.IndexOf('=');
            var key = (equals < 0 ? parameter : parameter[..equals]).Trim();
            var value = equals < 0 ? [] : parameter[(equals + 1)..].Trim().Trim('"');
            if (key.Equals("charset", StringComparison.OrdinalIgnoreCase)
                && !value.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                && !value.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                throw ScoringException.UnsupportedMediaType($"Content-Type '{contentType}': only UTF-8 is supported.");
            }
        }
    }

    /// <summary>
    /// Reads a V2 inference request for <paramref name="contract"/>: decodes the body (<see cref="Decode"/>) and binds
    /// the inputs strictly (<see cref="BindingRules.Strict"/>: exact datatypes and names, shapes that fit the model's,
    /// one row count), checking the requested outputs against the model's.
    /// </summary>
    /// <param name="body">The whole HTTP body.</param>
    /// <param name="contentType">The <c>Content-Type</c> header, or null when absent.</param>
    /// <param name="inferenceHeaderContentLength">The <c>Inference-Header-Content-Length</c> header, or null.</param>
    /// <param name="contract">The model version the request is for.</param>
    /// <returns>The bound request, its <c>id</c> and the output options for <see cref="V2ResponseWriter.Write"/>.</returns>
    /// <exception cref="ScoringException">400 naming the field or input at fault; 415 for the content type.</exception>
    public static V2Request Read(ReadOnlySpan<byte> body, string? contentType, string? inferenceHeaderContentLength, ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var decoded = Decode(body, contentType, inferenceHeaderContentLength);
        var request = InputBinder.Bind(decoded.Inputs, contract, BindingRules.Strict, decoded.Outputs.RequestedNames);
        return new V2Request(request, decoded.Id, decoded.Outputs);
    }

    /// <summary>
    /// Decodes a V2 inference request body into tensors typed and shaped as the caller sent them (no model involved).
    /// </summary>
    /// <param name="body">The whole HTTP body.</param>
    /// <param name="contentType">The <c>Content-Type</c> header, or null when absent (then the body is JSON).</param>
    /// <param name="inferenceHeaderContentLength">The <c>Inference-Header-Content-Length</c> header, or null when the
    /// whole body is JSON. When given, the first that many bytes are JSON and the rest is binary tensor data claimed, in
    /// input order, by each input's <c>parameters.binary_data_size</c>.</param>
    /// <exception cref="ScoringException">400 naming the field for any malformed or inconsistent request; 415 for the content type.</exception>
    public static V2DecodedRequest Decode(ReadOnlySpan<byte> body, string? contentType, string? inferenceHeaderContentLength)
    {
        CheckContentType(contentType);
        var headerLength = body.Length;
        var hasBinary = inferenceHeaderContentLength is not null;
        if (hasBinary)
        {
            if (!int.TryParse(inferenceHeaderContentLength.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out headerLength)
                || headerLength > body.Length)
            {
                throw ScoringException.BadRequest(
                    $"{InferenceHeaderContentLength}: '{inferenceHeaderContentLength}' is not a byte count between 0 and the body's {body.Length} bytes.");
            }
        }

        var state = new DecodeState(body[headerLength..], hasBinary);
        try
        {
            return ReadRequest(body[..headerLength], ref state);
        }
        catch (JsonException e)
        {
            // The reader's message gives line and byte position; enough for a caller to find the typo.
            throw ScoringException.BadRequest($"the request is not valid JSON: {e.Message}", e);
        }
    }

    private static V2DecodedRequest ReadRequest(ReadOnlySpan<byte> json, ref DecodeState state)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw ScoringException.BadRequest("the request must be a JSON object with \"inputs\".");
        }

        string? id = null;
        var binaryByDefault = false;
        List<Tensor>? inputs = null;
        List<V2RequestedOutput>? outputs = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("inputs"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray, "inputs", "an array of input tensors");
                inputs = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    inputs.Add(ReadInput(ref reader, json, inputs.Count, ref state));
                }
            }
            else if (reader.ValueTextEquals("id"))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    Expect(ref reader, JsonTokenType.String, "id", "a string");
                    id = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("parameters"))
            {
                reader.Read();
                binaryByDefault = ReadRequestParameters(ref reader);
            }
            else if (reader.ValueTextEquals("outputs"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray, "outputs", "an array of requested outputs");
                outputs = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    outputs.Add(ReadOutput(ref reader, outputs.Count));
                }
            }
            else
            {
                // Fields outside the protocol (a client's "model_name", say) carry nothing we act on.
                reader.Read();
                reader.Skip();
            }
        }

        // Reading once more makes the reader reject anything after the object.
        reader.Read();
        if (inputs is null || inputs.Count == 0)
        {
            throw ScoringException.BadRequest("inputs: required; list at least one input tensor.");
        }

        if (state.Binary.Length != state.Consumed)
        {
            throw ScoringException.BadRequest(
                $"{InferenceHeaderContentLength}: {state.Binary.Length - state.Consumed} bytes of binary data after the JSON are not claimed by any input's parameters.binary_data_size.");
        }

        CheckUnique(inputs, "inputs");
        if (outputs is not null)
        {
            for (var i = 1; i < outputs.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(outputs[i].Name, outputs[j].Name, StringComparison.Ordinal))
                    {
                        throw ScoringException.BadRequest($"outputs[{i}].name: '{outputs[i].Name}' is requested twice.");
                    }
                }
            }
        }

        var options = outputs is null && !binaryByDefault ? V2OutputOptions.Default : new V2OutputOptions(outputs, binaryByDefault);
        return new V2DecodedRequest(id, inputs, options);
    }

    private static Tensor ReadInput(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int index, ref DecodeState state)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"inputs[{index}]", "an object with name, shape, datatype and data");
        string? name = null;
        string? datatype = null;
        var type = TensorType.Float32;
        long[]? shape = null;
        long? binarySize = null;
        Array? data = null;
        int dataStart = -1, dataEnd = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.String, $"inputs[{index}].name", "a string");
                name = reader.GetString();
            }
            else if (reader.ValueTextEquals("datatype"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.String, Field(index, name, "datatype"), "a string");
                datatype = reader.GetString()!;
                if (!TensorTypes.TryParseV2Name(datatype, out type))
                {
                    throw ScoringException.BadRequest(
                        $"{Field(index, name, "datatype")}: unknown datatype '{datatype}'; expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES.");
                }
            }
            else if (reader.ValueTextEquals("shape"))
            {
                reader.Read();
                shape = ReadShape(ref reader, index, name);
            }
            else if (reader.ValueTextEquals("parameters"))
            {
                reader.Read();
                binarySize = ReadInputParameters(ref reader, index, name);
            }
            else if (reader.ValueTextEquals("data"))
            {
                reader.Read();
                if (datatype is not null && shape is not null)
                {
                    // The usual key order (name, shape, datatype, data): decode straight from the stream.
                    data = ReadJsonData(ref reader, json.Length, type, shape, index, name);
                }
                else
                {
                    // "data" came before "shape" or "datatype": remember where it is and decode it afterwards.
                    dataStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    dataEnd = (int)reader.BytesConsumed;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (name is null)
        {
            throw ScoringException.BadRequest($"inputs[{index}].name: required.");
        }

        if (datatype is null)
        {
            throw ScoringException.BadRequest($"{Field(index, name, "datatype")}: required.");
        }

        if (shape is null)
        {
            throw ScoringException.BadRequest($"{Field(index, name, "shape")}: required.");
        }

        var hasJsonData = data is not null || dataStart >= 0;
        if (binarySize is { } size)
        {
            if (hasJsonData)
            {
                throw ScoringException.BadRequest($"{Field(index, name, "data")}: give either data or parameters.binary_data_size, not both.");
            }

            if (!state.HasBinary)
            {
                throw ScoringException.BadRequest(
                    $"{Field(index, name, "parameters.binary_data_size")}: binary tensor data needs the {InferenceHeaderContentLength} header.");
            }

            if (size > state.Binary.Length - state.Consumed)
            {
                throw ScoringException.BadRequest(
                    $"{Field(index, name, "parameters.binary_data_size")}: {size} bytes, but only {state.Binary.Length - state.Consumed} bytes of binary data are left in the body.");
            }

            var bytes = state.Binary.Slice(state.Consumed, (int)size);
            state.Consumed += (int)size;
            var count = CheckedCount(shape, index, name);
            if (type == TensorType.String && (long)count * 4 > size)
            {
                throw ScoringException.BadRequest($"{Field(index, name, "parameters.binary_data_size")}: {size} bytes cannot hold {count} BYTES elements.");
            }

            data = V2BinaryData.Read(bytes, type, count, Field(index, name, "data"));
        }
        else if (data is null)
        {
            if (dataStart < 0)
            {
                throw ScoringException.BadRequest($"{Field(index, name, "data")}: required (or parameters.binary_data_size with binary data).");
            }

            var deferred = new Utf8JsonReader(json[dataStart..dataEnd], ReaderOptions);
            deferred.Read();
            data = ReadJsonData(ref deferred, json.Length, type, shape, index, name);
        }

        return new Tensor(name, type, shape, data);
    }

    private static Array ReadJsonData(ref Utf8JsonReader reader, int jsonLength, TensorType type, long[] shape, int index, string? name)
    {
        var count = CheckedCount(shape, index, name);

        // Every JSON value takes at least one byte: a shape claiming more values than the body has bytes is
        // rejected before an array of that size is allocated.
        if (count > jsonLength)
        {
            throw ScoringException.BadRequest($"{Field(index, name, "data")}: shape [{string.Join(", ", shape)}] needs {count} values, more than the body can hold.");
        }

        return V2JsonData.Read(ref reader, type, count, Field(index, name, "data"));
    }

    private static int CheckedCount(long[] shape, int index, string? name)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            count *= dimension;
            if (count > Array.MaxLength)
            {
                throw ScoringException.BadRequest($"{Field(index, name, "shape")}: [{string.Join(", ", shape)}] holds too many values.");
            }
        }

        return (int)count;
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, int index, string? name)
    {
        Expect(ref reader, JsonTokenType.StartArray, Field(index, name, "shape"), "an array of non-negative integers");
        Span<long> dimensions = stackalloc long[16];
        var rank = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dimension) || dimension < 0)
            {
                throw ScoringException.BadRequest($"{Field(index, name, "shape")}[{rank}]: expected a non-negative integer.");
            }

            if (rank == dimensions.Length)
            {
                throw ScoringException.BadRequest($"{Field(index, name, "shape")}: more than {dimensions.Length} dimensions.");
            }

            dimensions[rank++] = dimension;
        }

        return dimensions[..rank].ToArray();
    }

    private static long? ReadInputParameters(ref Utf8JsonReader reader, int index, string? name)
    {
        Expect(ref reader, JsonTokenType.StartObject, Field(index, name, "parameters"), "an object");
        long? binarySize = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("binary_data_size"))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var size) || size < 0)
                {
                    throw ScoringException.BadRequest($"{Field(index, name, "parameters.binary_data_size")}: expected a non-negative integer.");
                }

                binarySize = size;
            }
            else if (IsSharedMemory(ref reader))
            {
                throw ScoringException.BadRequest($"{Field(index, name, "parameters")}: the shared-memory extension is not supported; send data or binary tensor data.");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return binarySize;
    }

    private static bool ReadRequestParameters(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "parameters", "an object");
        var binaryByDefault = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("binary_data_output"))
            {
                reader.Read();
                binaryByDefault = ReadBool(ref reader, "parameters.binary_data_output");
            }
            else
            {
                // Other request parameters (priority, timeout, sequence ids) have no meaning for this server.
                reader.Read();
                reader.Skip();
            }
        }

        return binaryByDefault;
    }

    private static V2RequestedOutput ReadOutput(ref Utf8JsonReader reader, int index)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"outputs[{index}]", "an object with name");
        string? name = null;
        bool? binary = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.String, $"outputs[{index}].name", "a string");
                name = reader.GetString();
            }
            else if (reader.ValueTextEquals("parameters"))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartObject, $"outputs[{index}].parameters", "an object");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("binary_data"))
                    {
                        reader.Read();
                        binary = ReadBool(ref reader, $"outputs[{index}].parameters.binary_data");
                    }
                    else if (reader.ValueTextEquals("classification") || IsSharedMemory(ref reader))
                    {
                        throw ScoringException.BadRequest(
                            $"outputs[{index}].parameters.{reader.GetString()}: the classification and shared-memory extensions are not supported.");
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return name is null ? throw ScoringException.BadRequest($"outputs[{index}].name: required.") : new V2RequestedOutput(name, binary);
    }

    private static bool ReadBool(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw ScoringException.BadRequest($"{field}: expected true or false."),
    };

    private static bool IsSharedMemory(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("shared_memory_region") || reader.ValueTextEquals("shared_memory_byte_size") || reader.ValueTextEquals("shared_memory_offset");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string field, string what)
    {
        if (reader.TokenType != token)
        {
            throw ScoringException.BadRequest($"{field}: expected {what}.");
        }
    }

    private static void CheckUnique(List<Tensor> inputs, string field)
    {
        for (var i = 1; i < inputs.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(inputs[i].Name, inputs[j].Name, StringComparison.Ordinal))
                {
                    throw ScoringException.BadRequest($"{field}[{i}].name: '{inputs[i].Name}' appears twice.");
                }
            }
        }
    }

    private static string Field(int index, string? name, string member) =>
        name is null ? $"inputs[{index}].{member}" : $"inputs[{index}] ('{name}').{member}";

    /// <summary>Where the binary part of the body is and how much of it the inputs have claimed so far.</summary>
    private ref struct DecodeState(ReadOnlySpan<byte> binary, bool hasBinary)
    {
        public readonly ReadOnlySpan<byte> Binary = binary;
        public readonly bool HasBinary = hasBinary;
        public int Consumed;
    }
}
