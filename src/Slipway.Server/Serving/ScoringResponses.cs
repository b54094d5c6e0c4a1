using System.Globalization;
using System.Text.Json;
using Slipway.Serving;
using Slipway.Serving.Protocols.V2;

namespace Slipway.Server.Serving;

/// <summary>Sends scoring answers and errors: a pooled body with its length, and each protocol's error object.</summary>
internal static class ScoringResponses
{
    /// <summary>The JSON content type every scoring answer and error uses.</summary>
    public const string Json = "application/json";

    /// <summary>Sends what <paramref name="body"/> holds with <paramref name="status"/>.</summary>
    public static Task SendAsync(HttpContext context, PooledBufferWriter body, string contentType, int status = StatusCodes.Status200OK)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.WrittenCount;
        return response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted).AsTask();
    }

    /// <summary>
    /// Sends <paramref name="error"/> as the protocol's error object with its status and, for 429 and 503, its
    /// <c>Retry-After</c>: MLflow <c>{"error_code", "message"}</c> or V2 <c>{"error"}</c>.
    /// </summary>
    public static async Task SendErrorAsync(HttpContext context, ScoringException error, bool v2)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        // Clearing drops every header; the request id and the variant must survive it (errors are the answers callers
        // ask about, and a canary's errors the ones worth telling apart).
        var requestId = context.Response.Headers[RequestIds.Header];
        var variant = context.Response.Headers[ServingEndpoints.VariantHeader];
        context.Response.Clear();
        if (requestId.Count > 0)
        {
            context.Response.Headers[RequestIds.Header] = requestId;
        }

        if (variant.Count > 0)
        {
            context.Response.Headers[ServingEndpoints.VariantHeader] = variant;
        }

        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        using var body = new PooledBufferWriter(256);
        if (v2)
        {
            V2ErrorWriter.Write(body, error);
        }
        else
        {
            WriteMlflowError(body, error.ErrorCode, error.Message);
        }

        await SendAsync(context, body, Json, error.StatusCode).ConfigureAwait(false);
    }

    /// <summary>Writes MLflow's <c>{"error_code": ..., "message": ...}</c>.</summary>
    public static void WriteMlflowError(PooledBufferWriter body, string code, string message)
    {
        using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteString("error_code"u8, code);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
    }
}
