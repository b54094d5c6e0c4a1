using System.Buffers;
using System.Text;
using System.Text.Json;
using Slipway.Core.Registry;

namespace Slipway.Core.Search;

/// <summary>
/// The opaque <c>page_token</c> of search results: base64url of <c>{"offset":N}</c>, where N is the number of
/// results on earlier pages. Clients must treat it as opaque; stores decode it with <see cref="Decode"/>.
/// </summary>
public static class PageToken
{
    /// <summary>Encodes the offset (number of results already returned) of the next page.</summary>
    public static string Encode(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("offset", offset);
            writer.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.WrittenSpan).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// The offset a token stands for; 0 for a null or empty token. Throws <see cref="RegistryException"/>
    /// (invalid parameter) naming the token when it was not made by <see cref="Encode"/>.
    /// </summary>
    public static long Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var bytes = Convert.FromBase64String(base64);
            var reader = new Utf8JsonReader(bytes);
            long? offset = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Bad(token);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOffset = reader.ValueTextEquals("offset"u8);
                if (!reader.Read())
                {
                    throw Bad(token);
                }

                if (isOffset && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= 0)
                {
                    offset = value;
                }
                else
                {
                    throw Bad(token);
                }
            }

            return offset ?? throw Bad(token);
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"Invalid page_token '{token}'.", e);
        }
    }

    private static RegistryException Bad(string token) => RegistryException.Invalid($"Invalid page_token '{token}'.");
}
