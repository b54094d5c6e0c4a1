using System.Text.Json;
using Slipway.Core.Signatures;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.OpenApi;

/// <summary>The component schemas of a model's OpenAPI document: MLflow request formats and V2 objects, from the contract.</summary>
internal static class OpenApiSchemas
{
    /// <summary>Writes <c>MlflowRequest</c> (one of the formats the signature allows), its parts, <c>MlflowResponse</c>, <c>MlflowError</c>.</summary>
    public static void WriteMlflowSchemas(Utf8JsonWriter writer, ModelContract contract)
    {
        var formats = contract.IsTabular
            ? new[] { "DataframeSplit", "DataframeRecords", "Instances", "Inputs" }
            : ["Instances", "Inputs"];
        writer.WriteStartObject("MlflowRequest");
        writer.WriteString("description", "Exactly one format key, with optional params.");
        writer.WriteStartArray("oneOf");
        foreach (var format in formats)
        {
            writer.WriteStartObject();
            writer.WriteString("$ref", "#/components/schemas/" + format);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();

        if (contract.IsTabular)
        {
            WriteTabularFormats(writer, contract.Signature.Inputs!.Columns!);
        }
        else
        {
            WriteTensorFormats(writer, contract.Inputs);
        }

        writer.WriteStartObject("Params");
        writer.WriteString("type", "object");
        writer.WriteString("description", "Inference parameters from the model's params schema.");
        WriteParams(writer, contract.Signature.ParamsJson);
        writer.WriteEndObject();

        writer.WriteStartObject("MlflowResponse");
        writer.WriteString("type", "object");
        Required(writer, "predictions");
        writer.WriteStartObject("properties");
        writer.WriteStartObject("predictions");
        writer.WriteString("description", "The model's outputs, one entry per row: " + string.Join(", ", Names(contract.Outputs)) + ".");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("MlflowError");
        writer.WriteString("type", "object");
        Required(writer, "error_code", "message");
        writer.WriteStartObject("properties");
        StringProperty(writer, "error_code", "BAD_REQUEST, INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, RESOURCE_EXHAUSTED or TEMPORARILY_UNAVAILABLE.");
        StringProperty(writer, "message", "What is wrong, naming the field.");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes the V2 request, response, error, metadata and ready schemas with the model's inputs and outputs.</summary>
    public static void WriteV2Schemas(Utf8JsonWriter writer, ModelContract contract)
    {
        var required = 0;
        for (var i = 0; i < contract.Inputs.Count; i++)
        {
            required += contract.Inputs[i].Optional ? 0 : 1;
            WriteV2Input(writer, "V2Input" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), contract.Inputs[i]);
        }

        writer.WriteStartObject("V2InferenceRequest");
        writer.WriteString("type", "object");
        Required(writer, "inputs");
        writer.WriteStartObject("properties");
        StringProperty(writer, "id", "Echoed in the response.");
        writer.WriteStartObject("parameters");
        writer.WriteString("type", "object");
        writer.WriteStartObject("properties");
        BoolProperty(writer, "binary_data_output", "Return every output as binary tensor data unless the output says otherwise.");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("inputs");
        writer.WriteString("type", "array");
        writer.WriteNumber("minItems", required);
        writer.WriteNumber("maxItems", contract.Inputs.Count);
        writer.WriteStartObject("items");
        writer.WriteStartArray("oneOf");
        for (var i = 0; i < contract.Inputs.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("$ref", "#/components/schemas/V2Input" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("outputs");
        writer.WriteString("type", "array");
        writer.WriteString("description", "The outputs to return (all when absent).");
        writer.WriteStartObject("items");
        writer.WriteString("type", "object");
        Required(writer, "name");
        writer.WriteStartObject("properties");
        EnumProperty(writer, "name", Names(contract.Outputs));
        writer.WriteStartObject("parameters");
        writer.WriteString("type", "object");
        writer.WriteStartObject("properties");
        BoolProperty(writer, "binary_data", "Return this output as binary tensor data.");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("V2InferenceResponse");
        writer.WriteString("type", "object");
        Required(writer, "model_name", "outputs");
        writer.WriteStartObject("properties");
        EnumProperty(writer, "model_name", [contract.Name]);
        StringProperty(writer, "model_version", "The version that answered.");
        StringProperty(writer, "id", "The request's id.");
        writer.WriteStartObject("outputs");
        writer.WriteString("type", "array");
        writer.WriteStartObject("items");
        writer.WriteString("type", "object");
        Required(writer, "name", "datatype", "shape");
        writer.WriteStartObject("properties");
        EnumProperty(writer, "name", Names(contract.Outputs));
        StringProperty(writer, "datatype", "V2 datatype, e.g. FP32.");
        IntegerArrayProperty(writer, "shape", -1);
        writer.WriteStartObject("data");
        writer.WriteString("type", "array");
        writer.WriteString("description", "Row-major values; absent when the output is returned as binary data.");
        writer.WriteStartObject("items");
        writer.WriteEndObject();
        writer.WriteEndObject();
        BinarySizeParameters(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("V2Error");
        writer.WriteString("type", "object");
        Required(writer, "error");
        writer.WriteStartObject("properties");
        StringProperty(writer, "error", "What is wrong, naming the field.");
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("V2TensorMetadata");
        writer.WriteString("type", "object");
        Required(writer, "name", "datatype", "shape");
        writer.WriteStartObject("properties");
        StringProperty(writer, "name", null);
        StringProperty(writer, "datatype", null);
        IntegerArrayProperty(writer, "shape", -1);
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("V2ModelMetadata");
        writer.WriteString("type", "object");
        Required(writer, "name", "platform", "inputs", "outputs");
        writer.WriteStartObject("properties");
        StringProperty(writer, "name", null);
        writer.WriteStartObject("versions");
        writer.WriteString("type", "array");
        writer.WriteStartObject("items");
        writer.WriteString("type", "string");
        writer.WriteEndObject();
        writer.WriteEndObject();
        StringProperty(writer, "platform", null);
        foreach (var side in new[] { "inputs", "outputs" })
        {
            writer.WriteStartObject(side);
            writer.WriteString("type", "array");
            ModelOpenApiWriter.Ref(writer, "items", "#/components/schemas/V2TensorMetadata");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("V2ModelReady");
        writer.WriteString("type", "object");
        writer.WriteStartObject("properties");
        StringProperty(writer, "name", null);
        BoolProperty(writer, "ready", null);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteV2Input(Utf8JsonWriter writer, string schemaName, TensorInfo input)
    {
        writer.WriteStartObject(schemaName);
        writer.WriteString("type", "object");
        writer.WriteString("description", $"Input '{input.Name}': {input.Type.ToV2Name()} [{string.Join(", ", input.Shape)}] (-1: any size){(input.Optional ? ", optional" : string.Empty)}.");
        Required(writer, "name", "shape", "datatype");
        writer.WriteStartObject("properties");
        EnumProperty(writer, "name", [input.Name]);
        EnumProperty(writer, "datatype", [input.Type.ToV2Name()]);
        IntegerArrayProperty(writer, "shape", input.Shape.Length);
        writer.WriteStartObject("data");
        writer.WriteString("type", "array");
        writer.WriteString("description", "The values, flat in row-major order (nested arrays are accepted too); or leave out and send binary data.");
        writer.WritePropertyName("items");
        ModelOpenApiWriter.WriteElementType(writer, input.Type);
        writer.WriteEndObject();
        BinarySizeParameters(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteTabularFormats(Utf8JsonWriter writer, IReadOnlyList<ColumnSpec> columns)
    {
        var names = new List<string>();
        var requiredNames = new List<string>();
        foreach (var column in columns)
        {
            if (column.Name is not null)
            {
                names.Add(column.Name);
                if (column.Required)
                {
                    requiredNames.Add(column.Name);
                }
            }
        }

        writer.WriteStartObject("Row");
        writer.WriteString("type", "object");
        writer.WriteString("description", "One row: a value per column; optional columns may be null or left out.");
        Required(writer, [.. requiredNames]);
        writer.WriteStartObject("properties");
        foreach (var column in columns)
        {
            if (column.Name is not null)
            {
                writer.WritePropertyName(column.Name);
                ModelOpenApiWriter.WriteColumnType(writer, column.Type, nullable: !column.Required);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();

        FormatStart(writer, "DataframeSplit", "dataframe_split");
        writer.WriteString("type", "object");
        Required(writer, "data");
        writer.WriteStartObject("properties");
        writer.WriteStartObject("columns");
        writer.WriteString("type", "array");
        writer.WriteStartObject("items");
        writer.WriteString("type", "string");
        WriteEnum(writer, names);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("index");
        writer.WriteString("type", "array");
        writer.WriteStartObject("items");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("data");
        writer.WriteString("type", "array");
        writer.WriteString("description", "Rows, each a list of values in the order of columns.");
        writer.WriteStartObject("items");
        writer.WriteString("type", "array");
        writer.WriteStartObject("items");
        writer.WriteStartArray("oneOf");
        var seen = new HashSet<ColumnType>();
        foreach (var column in columns)
        {
            if (seen.Add(column.Type))
            {
                ModelOpenApiWriter.WriteColumnType(writer, column.Type, nullable: false);
            }
        }

        writer.WriteEndArray();
        writer.WriteBoolean("nullable", true);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        FormatEnd(writer);

        FormatStart(writer, "DataframeRecords", "dataframe_records");
        RowArray(writer);
        FormatEnd(writer);

        FormatStart(writer, "Instances", "instances");
        RowArray(writer);
        FormatEnd(writer);

        FormatStart(writer, "Inputs", "inputs");
        writer.WriteStartArray("oneOf");
        writer.WriteStartObject();
        RowArray(writer);
        writer.WriteEndObject();
        writer.WriteStartObject();
        writer.WriteString("type", "object");
        writer.WriteString("description", "Columns: a list of values per column.");
        Required(writer, [.. requiredNames]);
        writer.WriteStartObject("properties");
        foreach (var column in columns)
        {
            if (column.Name is not null)
            {
                writer.WriteStartObject(column.Name);
                writer.WriteString("type", "array");
                writer.WritePropertyName("items");
                ModelOpenApiWriter.WriteColumnType(writer, column.Type, nullable: !column.Required);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        FormatEnd(writer);
    }

    private static void WriteTensorFormats(Utf8JsonWriter writer, IReadOnlyList<TensorInfo> inputs)
    {
        var single = inputs.Count == 1;
        FormatStart(writer, "Inputs", "inputs");
        if (single)
        {
            writer.WriteString("description", $"The tensor '{inputs[0].Name}' as nested lists.");
            NestedBody(writer, inputs[0], 0);
        }
        else
        {
            writer.WriteString("type", "object");
            writer.WriteString("description", "A nested list per named tensor.");
            Required(writer, RequiredNames(inputs));
            writer.WriteStartObject("properties");
            foreach (var input in inputs)
            {
                writer.WritePropertyName(input.Name);
                ModelOpenApiWriter.WriteNestedArray(writer, input.Type, input.Shape, 0);
            }

            writer.WriteEndObject();
        }

        FormatEnd(writer);

        FormatStart(writer, "Instances", "instances");
        writer.WriteString("type", "array");
        writer.WriteString("description", "One entry per row (the tensors' first dimension).");
        writer.WriteStartObject("items");
        if (single)
        {
            NestedBody(writer, inputs[0], 1);
        }
        else
        {
            writer.WriteString("type", "object");
            Required(writer, RequiredNames(inputs));
            writer.WriteStartObject("properties");
            foreach (var input in inputs)
            {
                writer.WritePropertyName(input.Name);
                ModelOpenApiWriter.WriteNestedArray(writer, input.Type, input.Shape, 1);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        FormatEnd(writer);
    }

    private static void NestedBody(Utf8JsonWriter writer, TensorInfo input, int from)
    {
        // Writes the nested-array schema's members into the object already open.
        if (from >= input.Shape.Length)
        {
            writer.WriteString("description", $"A {input.Type.ToV2Name()} value.");
            return;
        }

        writer.WriteString("type", "array");
        if (input.Shape[from] >= 0)
        {
            writer.WriteNumber("minItems", input.Shape[from]);
            writer.WriteNumber("maxItems", input.Shape[from]);
        }

        writer.WritePropertyName("items");
        ModelOpenApiWriter.WriteNestedArray(writer, input.Type, input.Shape, from + 1);
    }

    private static void FormatStart(Utf8JsonWriter writer, string schemaName, string key)
    {
        writer.WriteStartObject(schemaName);
        writer.WriteString("type", "object");
        Required(writer, key);
        writer.WriteBoolean("additionalProperties", false);
        writer.WriteStartObject("properties");
        ModelOpenApiWriter.Ref(writer, "params", "#/components/schemas/Params");
        writer.WriteStartObject(key);
    }

    private static void FormatEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void RowArray(Utf8JsonWriter writer)
    {
        writer.WriteString("type", "array");
        ModelOpenApiWriter.Ref(writer, "items", "#/components/schemas/Row");
    }

    private static void WriteParams(Utf8JsonWriter writer, string? paramsJson)
    {
        if (paramsJson is null)
        {
            return;
        }

        using var document = JsonDocument.Parse(paramsJson);
        writer.WriteStartObject("properties");
        foreach (var spec in document.RootElement.EnumerateArray())
        {
            if (spec.ValueKind != JsonValueKind.Object || !spec.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            writer.WriteStartObject(name.GetString()!);
            if (spec.TryGetProperty("type", out var type) && ColumnTypeNames.TryParse(type.GetString(), out var columnType))
            {
                var (jsonType, format) = columnType switch
                {
                    ColumnType.Boolean => ("boolean", (string?)null),
                    ColumnType.Integer or ColumnType.Long => ("integer", null),
                    ColumnType.Float or ColumnType.Double => ("number", null),
                    _ => ("string", null),
                };
                writer.WriteString("type", jsonType);
                if (format is not null)
                {
                    writer.WriteString("format", format);
                }
            }

            if (spec.TryGetProperty("default", out var defaultValue) && defaultValue.ValueKind != JsonValueKind.Null)
            {
                writer.WritePropertyName("default");
                defaultValue.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static string[] RequiredNames(IReadOnlyList<TensorInfo> inputs)
    {
        var names = new List<string>();
        foreach (var input in inputs)
        {
            if (!input.Optional)
            {
                names.Add(input.Name);
            }
        }

        return [.. names];
    }

    private static List<string> Names(IReadOnlyList<TensorInfo> tensors)
    {
        var names = new List<string>(tensors.Count);
        foreach (var tensor in tensors)
        {
            names.Add(tensor.Name);
        }

        return names;
    }

    private static void Required(Utf8JsonWriter writer, params string[] names)
    {
        // OpenAPI 3.0 forbids an empty "required" list.
        if (names.Length == 0)
        {
            return;
        }

        writer.WriteStartArray("required");
        foreach (var name in names)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }

    private static void WriteEnum(Utf8JsonWriter writer, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("enum");
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void EnumProperty(Utf8JsonWriter writer, string property, IReadOnlyList<string> values)
    {
        writer.WriteStartObject(property);
        writer.WriteString("type", "string");
        WriteEnum(writer, values);
        writer.WriteEndObject();
    }

    private static void StringProperty(Utf8JsonWriter writer, string property, string? description) =>
        ScalarProperty(writer, property, "string", description);

    private static void BoolProperty(Utf8JsonWriter writer, string property, string? description) =>
        ScalarProperty(writer, property, "boolean", description);

    private static void ScalarProperty(Utf8JsonWriter writer, string property, string type, string? description)
    {
        writer.WriteStartObject(property);
        writer.WriteString("type", type);
        if (description is not null)
        {
            writer.WriteString("description", description);
        }

        writer.WriteEndObject();
    }

    private static void IntegerArrayProperty(Utf8JsonWriter writer, string property, int length)
    {
        writer.WriteStartObject(property);
        writer.WriteString("type", "array");
        if (length >= 0)
        {
            writer.WriteNumber("minItems", length);
            writer.WriteNumber("maxItems", length);
        }

        writer.WriteStartObject("items");
        writer.WriteString("type", "integer");
        writer.WriteString("format", "int64");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void BinarySizeParameters(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("parameters");
        writer.WriteString("type", "object");
        writer.WriteStartObject("properties");
        writer.WriteStartObject("binary_data_size");
        writer.WriteString("type", "integer");
        writer.WriteString("description", "Bytes of binary tensor data for this tensor after the JSON part.");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
