using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Mlflow;

/// <summary>
/// Reads a JSON string or a JSON integer as a string (MLflow sends versions as strings, but hand-written requests
/// often send numbers); anything else (objects, arrays, booleans) is a <see cref="JsonException"/>. Writes a string.
/// </summary>
public sealed class FlexibleStringConverter : JsonConverter<string>
{
    /// <inheritdoc />
    public override bool HandleNull => false;

    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
                if (Utf8Parser.TryParse(raw, out long value, out var consumed) && consumed == raw.Length)
                {
                    return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                throw new JsonException("Expected an integer.");
            default:
                throw new JsonException($"Expected a string, got {reader.TokenType}.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
