using System.Buffers;
using System.Text.Json;
using Slipway.Core.Signatures;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.OpenApi;

/// <summary>
/// Writes an OpenAPI 3.0 document for one served model, generated from its <see cref="ModelContract"/>: the MLflow
/// scoring endpoints (<c>/invocations</c>, <c>/models/NAME/invocations</c>: <c>dataframe_split</c>,
/// <c>dataframe_records</c>, <c>instances</c>, <c>inputs</c>, <c>text/csv</c>) and the V2 endpoints
/// (<c>/v2/models/NAME/infer</c>, metadata, ready), with request schemas built from the signature's columns or tensors,
/// the error bodies, and the model's input example as the request example. Not on the request path.
/// </summary>
public static class ModelOpenApiWriter
{
    /// <summary>The OpenAPI version written: <c>3.0.3</c>.</summary>
    public const string OpenApiVersion = "3.0.3";

    /// <summary>Writes the document for <paramref name="contract"/> to <paramref name="output"/> (UTF-8 JSON).</summary>
    public static void Write(IBufferWriter<byte> output, ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(contract);
        using var example = ParseExample(contract.InputExampleJson);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        var segment = Uri.EscapeDataString(contract.Name);

        writer.WriteStartObject();
        writer.WriteString("openapi", OpenApiVersion);
        writer.WriteStartObject("info");
        writer.WriteString("title", $"{contract.Name} (version {contract.Version})");
        writer.WriteString("version", contract.Version);
        writer.WriteString("description", $"Scoring API of model '{contract.Name}' version {contract.Version} ({contract.Platform}), generated from its signature.");
        writer.WriteEndObject();

        writer.WriteStartObject("paths");
        WriteMlflowPath(writer, "/invocations", "invocations", contract, example?.RootElement);
        WriteMlflowPath(writer, $"/models/{segment}/invocations", "modelInvocations", contract, example?.RootElement);
        WriteV2InferPath(writer, $"/v2/models/{segment}/infer", contract, example?.RootElement);
        WriteV2GetPath(writer, $"/v2/models/{segment}", "v2ModelMetadata", "The model's V2 metadata: inputs and outputs with datatypes and shapes.", "#/components/schemas/V2ModelMetadata");
        WriteV2GetPath(writer, $"/v2/models/{segment}/ready", "v2ModelReady", "200 when the model is ready to serve.", "#/components/schemas/V2ModelReady");
        writer.WriteEndObject();

        writer.WriteStartObject("components");
        writer.WriteStartObject("schemas");
        OpenApiSchemas.WriteMlflowSchemas(writer, contract);
        OpenApiSchemas.WriteV2Schemas(writer, contract);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static JsonDocument? ParseExample(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // A broken example must not take the whole document down: it is simply left out.
            return null;
        }
    }

    private static void WriteMlflowPath(Utf8JsonWriter writer, string path, string operationId, ModelContract contract, JsonElement? example)
    {
        writer.WriteStartObject(path);
        writer.WriteStartObject("post");
        writer.WriteString("operationId", operationId);
        writer.WriteString("summary", "Score with MLflow's scoring protocol");
        writer.WriteString("description", "Exactly one of dataframe_split, dataframe_records, instances or inputs, with optional params; or CSV with a header row. The body is validated against the model's signature.");
        writer.WriteStartObject("requestBody");
        writer.WriteBoolean("required", true);
        writer.WriteStartObject("content");
        writer.WriteStartObject("application/json");
        Ref(writer, "schema", "#/components/schemas/MlflowRequest");
        if (example is { } value)
        {
            writer.WritePropertyName("example");
            OpenApiExamples.WriteMlflowRequest(writer, value);
        }

        writer.WriteEndObject();
        if (contract.IsTabular)
        {
            writer.WriteStartObject("text/csv");
            writer.WriteStartObject("schema");
            writer.WriteString("type", "string");
            writer.WriteString("description", "CSV with a header row naming the columns: " + string.Join(", ", contract.Signature.Inputs!.Names));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("responses");
        Response(writer, "200", "The predictions.", "#/components/schemas/MlflowResponse");
        Response(writer, "400", "BAD_REQUEST (the body cannot be read) or INVALID_PARAMETER_VALUE (it does not fit the signature); the message names the field.", "#/components/schemas/MlflowError");
        Response(writer, "415", "Content type other than application/json or text/csv.", "#/components/schemas/MlflowError");
        Response(writer, "429", "The model's queue is full; retry after the Retry-After header's seconds.", "#/components/schemas/MlflowError");
        Response(writer, "503", "The model is not loaded yet or the server is stopping.", "#/components/schemas/MlflowError");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteV2InferPath(Utf8JsonWriter writer, string path, ModelContract contract, JsonElement? example)
    {
        writer.WriteStartObject(path);
        writer.WriteStartObject("post");
        writer.WriteString("operationId", "v2Infer");
        writer.WriteString("summary", "Score with the Open Inference Protocol V2");
        writer.WriteString("description", "JSON request, or with the binary tensor data extension: an Inference-Header-Content-Length header giving the JSON part's length, the tensors' bytes after it. A request without Content-Type is read as JSON.");
        writer.WriteStartObject("requestBody");
        writer.WriteBoolean("required", true);
        writer.WriteStartObject("content");
        writer.WriteStartObject("application/json");
        Ref(writer, "schema", "#/components/schemas/V2InferenceRequest");
        if (example is { } value && OpenApiExamples.TryBuildV2Request(value, contract, out var v2Example))
        {
            writer.WritePropertyName("example");
            writer.WriteRawValue(v2Example.Span);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("application/octet-stream");
        writer.WriteStartObject("schema");
        writer.WriteString("type", "string");
        writer.WriteString("format", "binary");
        writer.WriteString("description", "The JSON request followed by binary tensor data (binary tensor data extension).");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartArray("parameters");
        writer.WriteStartObject();
        writer.WriteString("name", "Inference-Header-Content-Length");
        writer.WriteString("in", "header");
        writer.WriteBoolean("required", false);
        writer.WriteString("description", "Length in bytes of the JSON part when binary tensor data follows it.");
        writer.WriteStartObject("schema");
        writer.WriteString("type", "integer");
        writer.WriteNumber("minimum", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartObject("responses");
        writer.WriteStartObject("200");
        writer.WriteString("description", "The outputs; with binary outputs requested, the JSON part (length in Inference-Header-Content-Length) followed by their bytes.");
        writer.WriteStartObject("content");
        writer.WriteStartObject("application/json");
        Ref(writer, "schema", "#/components/schemas/V2InferenceResponse");
        writer.WriteEndObject();
        writer.WriteStartObject("application/octet-stream");
        writer.WriteStartObject("schema");
        writer.WriteString("type", "string");
        writer.WriteString("format", "binary");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        Response(writer, "400", "The request cannot be read or does not fit the model; the message names the field.", "#/components/schemas/V2Error");
        Response(writer, "404", "No such model or version.", "#/components/schemas/V2Error");
        Response(writer, "415", "Content type other than application/json or application/octet-stream.", "#/components/schemas/V2Error");
        Response(writer, "429", "The model's queue is full; retry after the Retry-After header's seconds.", "#/components/schemas/V2Error");
        Response(writer, "503", "The model is not loaded yet or the server is stopping.", "#/components/schemas/V2Error");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteV2GetPath(Utf8JsonWriter writer, string path, string operationId, string description, string schema)
    {
        writer.WriteStartObject(path);
        writer.WriteStartObject("get");
        writer.WriteString("operationId", operationId);
        writer.WriteStartObject("responses");
        Response(writer, "200", description, schema);
        Response(writer, "404", "No such model.", "#/components/schemas/V2Error");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Response(Utf8JsonWriter writer, string status, string description, string schema)
    {
        writer.WriteStartObject(status);
        writer.WriteString("description", description);
        writer.WriteStartObject("content");
        writer.WriteStartObject("application/json");
        Ref(writer, "schema", schema);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal static void Ref(Utf8JsonWriter writer, string property, string target)
    {
        writer.WriteStartObject(property);
        writer.WriteString("$ref", target);
        writer.WriteEndObject();
    }

    /// <summary>The JSON schema of one value of a column type.</summary>
    internal static void WriteColumnType(Utf8JsonWriter writer, ColumnType type, bool nullable)
    {
        writer.WriteStartObject();
        var (jsonType, format) = type switch
        {
            ColumnType.Boolean => ("boolean", null),
            ColumnType.Integer => ("integer", "int32"),
            ColumnType.Long => ("integer", "int64"),
            ColumnType.Float => ("number", "float"),
            ColumnType.Double => ("number", "double"),
            ColumnType.Binary => ("string", "byte"),
            ColumnType.Datetime => ("string", "date-time"),
            _ => ("string", (string?)null),
        };
        writer.WriteString("type", jsonType);
        if (format is not null)
        {
            writer.WriteString("format", format);
        }

        if (nullable)
        {
            writer.WriteBoolean("nullable", true);
        }

        writer.WriteEndObject();
    }

    /// <summary>The JSON schema of one element of a tensor type.</summary>
    internal static void WriteElementType(Utf8JsonWriter writer, TensorType type)
    {
        writer.WriteStartObject();
        var (jsonType, format) = type switch
        {
            TensorType.Bool => ("boolean", null),
            TensorType.Int32 or TensorType.Int16 or TensorType.Int8 or TensorType.UInt8 or TensorType.UInt16 => ("integer", "int32"),
            TensorType.Int64 or TensorType.UInt32 or TensorType.UInt64 => ("integer", "int64"),
            TensorType.Float16 or TensorType.Float32 => ("number", "float"),
            TensorType.Float64 => ("number", "double"),
            _ => ("string", (string?)null),
        };
        writer.WriteString("type", jsonType);
        if (format is not null)
        {
            writer.WriteString("format", format);
        }

        if (type is TensorType.UInt8 or TensorType.UInt16 or TensorType.UInt32 or TensorType.UInt64)
        {
            writer.WriteNumber("minimum", 0);
        }

        writer.WriteEndObject();
    }

    /// <summary>A nested-array schema for <paramref name="shape"/> from dimension <paramref name="from"/> on.</summary>
    internal static void WriteNestedArray(Utf8JsonWriter writer, TensorType type, IReadOnlyList<long> shape, int from)
    {
        if (from >= shape.Count)
        {
            WriteElementType(writer, type);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", "array");
        if (shape[from] >= 0)
        {
            writer.WriteNumber("minItems", shape[from]);
            writer.WriteNumber("maxItems", shape[from]);
        }

        writer.WritePropertyName("items");
        WriteNestedArray(writer, type, shape, from + 1);
        writer.WriteEndObject();
    }
}
