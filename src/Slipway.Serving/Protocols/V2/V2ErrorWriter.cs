using System.Buffers;
using System.Text.Json;

namespace Slipway.Serving.Protocols.V2;

/// <summary>
/// Writes the V2 error object <c>{"error": "..."}</c> (<c>application/json</c>). Status codes: 400 for a request that
/// cannot be read or does not fit the model, 404 for an unknown model or version, 415 for a content type other than
/// JSON or octet-stream, 429 when the model's queue is full, 503 while a model loads or the server stops: the
/// <see cref="ScoringException.StatusCode"/> of the error.
/// </summary>
public static class V2ErrorWriter
{
    /// <summary>Writes <c>{"error": message}</c>.</summary>
    public static void Write(IBufferWriter<byte> output, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("error"u8, message);
        writer.WriteEndObject();
    }

    /// <summary>Writes <paramref name="exception"/>'s message as <c>{"error": message}</c>; the caller sends its status code.</summary>
    public static void Write(IBufferWriter<byte> output, ScoringException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Write(output, exception.Message);
    }
}
