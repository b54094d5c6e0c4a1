using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// The <c>params</c> of a scoring request under MLflow's rules (<c>_enforce_params_schema</c>): with a params schema in
/// the signature, each declared param takes the sent value (converted: integer → long/float/double, long →
/// float/double, float → double) or its default; undeclared params are dropped (MLflow logs and ignores them);
/// a value of the wrong type or shape is 400 <c>INVALID_PARAMETER_VALUE</c>. Without a schema, params are ignored.
/// </summary>
internal static class ScoringParams
{
    private static readonly ConditionalWeakTable<ModelContract, ParamSpec[]> Schemas = new();

    public static IReadOnlyDictionary<string, object?> Empty { get; } = new Dictionary<string, object?>();

    public static IReadOnlyDictionary<string, object?> Defaults(ModelContract contract)
    {
        var specs = SchemaOf(contract);
        if (specs.Length == 0)
        {
            return Empty;
        }

        var result = new Dictionary<string, object?>(specs.Length, StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            result[spec.Name] = spec.Default;
        }

        return result;
    }

    public static IReadOnlyDictionary<string, object?> Read(ReadOnlySpan<byte> value, ModelContract contract)
    {
        var specs = SchemaOf(contract);
        var reader = new Utf8JsonReader(value);
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return Defaults(contract);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ScoringException.Invalid($"Parameters must be a dictionary. Got type '{MlflowRequestReader.PythonTypeName(reader.TokenType)}'.");
        }

        if (specs.Length == 0)
        {
            return Empty;
        }

        var result = (Dictionary<string, object?>)Defaults(contract);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ParamSpec? spec = null;
            foreach (var candidate in specs)
            {
                if (reader.ValueTextEquals(candidate.Name))
                {
                    spec = candidate;
                    break;
                }
            }

            reader.Read();
            if (spec is null)
            {
                reader.Skip();
                continue;
            }

            result[spec.Name] = spec.IsList ? ReadList(ref reader, spec) : ReadScalar(ref reader, spec);
        }

        return result;
    }

    private static object?[]? ReadList(ref Utf8JsonReader reader, ParamSpec spec)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ScoringException.Invalid($"Param '{spec.Name}': value must be a 1D list with shape (-1,), got `{Raw(ref reader)}`.");
        }

        var values = new List<object?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(ReadScalar(ref reader, spec));
        }

        return [.. values];
    }

    private static object? ReadScalar(ref Utf8JsonReader reader, ParamSpec spec)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray or JsonTokenType.StartObject:
                throw ScoringException.Invalid($"Param '{spec.Name}': value must be a scalar for type `{spec.Type}`, got `{Raw(ref reader)}`.");
        }

        var isInteger = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out _);
        object? converted = spec.Type switch
        {
            "boolean" when reader.TokenType is JsonTokenType.True or JsonTokenType.False => reader.GetBoolean(),
            "integer" when isInteger && reader.GetInt64() is >= int.MinValue and <= int.MaxValue => reader.GetInt64(),
            "long" when isInteger => reader.GetInt64(),
            "float" or "double" when reader.TokenType == JsonTokenType.Number => reader.GetDouble(),
            "string" or "binary" when reader.TokenType == JsonTokenType.String => reader.GetString(),
            "datetime" when reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out _) => reader.GetString(),
            _ => null,
        };
        if (converted is null)
        {
            throw ScoringException.Invalid(
                $"Param '{spec.Name}': can not safely convert {JsonKind(reader.TokenType, isInteger)} to `{spec.Type}` for value `{Raw(ref reader)}`.");
        }

        return converted;
    }

    private static string JsonKind(JsonTokenType type, bool isInteger) => type switch
    {
        JsonTokenType.Number => isInteger ? "an integer" : "a fractional number",
        JsonTokenType.String => "a string",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "a value",
    };

    private static string Raw(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.StartArray ? "[...]" : "{...}";
        }

        return Encoding.UTF8.GetString(reader.ValueSpan);
    }

    private static ParamSpec[] SchemaOf(ModelContract contract) =>
        contract.Signature.ParamsJson is null ? [] : Schemas.GetValue(contract, static c => ParseSchema(c.Signature.ParamsJson!));

    private static ParamSpec[] ParseSchema(string json)
    {
        using var document = JsonDocument.Parse(json);
        var specs = new List<ParamSpec>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var name = item.GetProperty("name").GetString()!;
            var type = item.GetProperty("type").GetString()!;
            var isList = item.TryGetProperty("shape", out var shape) && shape.ValueKind == JsonValueKind.Array;
            object? defaultValue = null;
            if (item.TryGetProperty("default", out var d))
            {
                defaultValue = ToValue(d);
            }

            specs.Add(new ParamSpec(name, type, isList, defaultValue));
        }

        return [.. specs];
    }

    private static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Array => element.EnumerateArray().Select(ToValue).ToArray(),
        _ => null,
    };

    private sealed record ParamSpec(string Name, string Type, bool IsList, object? Default);
}
