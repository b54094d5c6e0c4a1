using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Slipway.Core.Registry;

namespace Slipway.Server.Http;

/// <summary>Reads request bodies and query parameters, turning every malformed input into a 400 that names the field.</summary>
internal static class JsonBody
{
    /// <summary>
    /// Deserializes the request body. An empty body reads as an empty message (so missing fields are reported by name);
    /// malformed JSON or a wrong JSON type throws <see cref="RegistryException"/> (invalid parameter).
    /// </summary>
    public static async ValueTask<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class, new()
    {
        if (context.Request.ContentLength == 0)
        {
            return new T();
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted) ?? new T();
        }
        catch (JsonException ex)
        {
            throw RegistryException.Invalid(Describe(ex));
        }
    }

    /// <summary>A query parameter, or null when absent; the last value wins when repeated.</summary>
    public static string? Query(HttpContext context, string name)
    {
        var values = context.Request.Query[name];
        return values.Count == 0 ? null : values[^1];
    }

    /// <summary>All values of a repeatable query parameter.</summary>
    public static IReadOnlyList<string> QueryAll(HttpContext context, string name)
    {
        var values = context.Request.Query[name];
        var result = new List<string>(values.Count);
        foreach (var value in values)
        {
            if (!string.IsNullOrEmpty(value))
            {
                result.Add(value);
            }
        }

        return result;
    }

    /// <summary>An integer query parameter with a default; a non-integer throws invalid parameter naming it.</summary>
    public static int QueryInt(HttpContext context, string name, int defaultValue)
    {
        var text = Query(context, name);
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw RegistryException.Invalid($"Invalid value '{text}' for parameter '{name}': expected an integer.");
    }

    /// <summary>An optional integer query parameter; null when absent, a non-integer throws invalid parameter naming it.</summary>
    public static int? QueryOptionalInt(HttpContext context, string name) =>
        string.IsNullOrEmpty(Query(context, name)) ? null : QueryInt(context, name, 0);

    private static string Describe(JsonException ex)
    {
        // The serializer's own message names .NET types; callers need the JSON field instead.
        var field = FieldOf(ex.Path);
        return field is null
            ? "Malformed JSON request body: expected a JSON object. See the API docs for more information about request parameters."
            : $"Invalid value for parameter '{field}': wrong JSON type or malformed JSON. See the API docs for more information about request parameters.";
    }

    private static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }
}
