using System.Buffers;
using System.Text.Json;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.OpenApi;

/// <summary>
/// Turns a model's input example (MLflow's <c>input_example.json</c>: split <c>{"columns", "data"}</c> for tables,
/// <c>{"inputs": ...}</c> for tensors, or a request in any MLflow format) into request examples for both protocols.
/// </summary>
internal static class OpenApiExamples
{
    private static readonly string[] FormatKeys = ["dataframe_split", "dataframe_records", "instances", "inputs"];

    /// <summary>Writes the example as an MLflow scoring request body.</summary>
    public static void WriteMlflowRequest(Utf8JsonWriter writer, JsonElement example)
    {
        if (example.ValueKind == JsonValueKind.Object)
        {
            foreach (var key in FormatKeys)
            {
                if (example.TryGetProperty(key, out _))
                {
                    example.WriteTo(writer);
                    return;
                }
            }

            if (example.TryGetProperty("data", out _))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("dataframe_split");
                example.WriteTo(writer);
                writer.WriteEndObject();
                return;
            }
        }

        writer.WriteStartObject();
        writer.WritePropertyName("inputs");
        example.WriteTo(writer);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Builds a V2 request from the example: one tensor per contract input, values taken from the example's columns
    /// (tables) or tensors. False when the example does not carry every required input in a recognisable form.
    /// </summary>
    public static bool TryBuildV2Request(JsonElement example, ModelContract contract, out ReadOnlyMemory<byte> json)
    {
        json = default;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("inputs");
            var ok = contract.IsTabular ? WriteColumns(writer, example, contract) : WriteTensors(writer, example, contract);
            if (!ok)
            {
                return false;
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        json = buffer.WrittenMemory;
        return true;
    }

    private static bool WriteColumns(Utf8JsonWriter writer, JsonElement example, ModelContract contract)
    {
        var split = example;
        if (example.ValueKind == JsonValueKind.Object && example.TryGetProperty("dataframe_split", out var wrapped))
        {
            split = wrapped;
        }

        if (split.ValueKind != JsonValueKind.Object
            || !split.TryGetProperty("columns", out var columns) || columns.ValueKind != JsonValueKind.Array
            || !split.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var names = new List<string?>();
        foreach (var column in columns.EnumerateArray())
        {
            names.Add(column.ValueKind == JsonValueKind.String ? column.GetString() : null);
        }

        var rows = data.GetArrayLength();
        foreach (var input in contract.Inputs)
        {
            var index = names.IndexOf(input.Name);
            if (index < 0)
            {
                if (input.Optional)
                {
                    continue;
                }

                return false;
            }

            writer.WriteStartObject();
            writer.WriteString("name", input.Name);
            writer.WriteStartArray("shape");
            writer.WriteNumberValue(rows);
            writer.WriteEndArray();
            writer.WriteString("datatype", input.Type.ToV2Name());
            writer.WriteStartArray("data");
            foreach (var row in data.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() <= index)
                {
                    return false;
                }

                var value = row[index];
                if (value.ValueKind == JsonValueKind.Null)
                {
                    // V2 has no null: a missing float is NaN; other types cannot be shown.
                    if (input.Type is not (TensorType.Float16 or TensorType.Float32 or TensorType.Float64))
                    {
                        return false;
                    }

                    writer.WriteStringValue("NaN");
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return true;
    }

    private static bool WriteTensors(Utf8JsonWriter writer, JsonElement example, ModelContract contract)
    {
        var inputs = example.ValueKind == JsonValueKind.Object && example.TryGetProperty("inputs", out var wrapped) ? wrapped : example;
        for (var i = 0; i < contract.Inputs.Count; i++)
        {
            var input = contract.Inputs[i];
            JsonElement value;
            if (inputs.ValueKind == JsonValueKind.Object && inputs.TryGetProperty(input.Name, out var named))
            {
                value = named;
            }
            else if (contract.Inputs.Count == 1 && inputs.ValueKind == JsonValueKind.Array)
            {
                value = inputs;
            }
            else if (input.Optional)
            {
                continue;
            }
            else
            {
                return false;
            }

            writer.WriteStartObject();
            writer.WriteString("name", input.Name);
            writer.WriteStartArray("shape");
            for (var level = value; ; level = level[0])
            {
                if (level.ValueKind != JsonValueKind.Array)
                {
                    break;
                }

                writer.WriteNumberValue(level.GetArrayLength());
                if (level.GetArrayLength() == 0)
                {
                    break;
                }
            }

            writer.WriteEndArray();
            writer.WriteString("datatype", input.Type.ToV2Name());
            writer.WritePropertyName("data");
            value.WriteTo(writer);
            writer.WriteEndObject();
        }

        return true;
    }
}
