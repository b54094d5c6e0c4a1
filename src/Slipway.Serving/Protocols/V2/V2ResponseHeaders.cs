namespace Slipway.Serving.Protocols.V2;

/// <summary>The headers an endpoint sets for a V2 inference response written by <see cref="V2ResponseWriter"/>.</summary>
/// <param name="ContentType"><c>application/json</c>, or <c>application/octet-stream</c> when binary tensor data follows the JSON.</param>
/// <param name="InferenceHeaderContentLength">The JSON part's length in bytes for the <c>Inference-Header-Content-Length</c>
/// header when binary data follows; null (send no such header) for a JSON-only response.</param>
public readonly record struct V2ResponseHeaders(string ContentType, int? InferenceHeaderContentLength)
{
    /// <summary><c>application/json</c>: the content type of every JSON-only V2 body (responses, metadata, errors).</summary>
    public const string Json = "application/json";

    /// <summary><c>application/octet-stream</c>: a JSON header followed by binary tensor data.</summary>
    public const string Binary = "application/octet-stream";
}
