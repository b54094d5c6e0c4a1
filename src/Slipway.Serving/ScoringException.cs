namespace Slipway.Serving;

/// <summary>
/// A request the server will not score, with the HTTP status and the error code callers see. Codecs and binders throw
/// it for bad input (400 <c>BAD_REQUEST</c>, 400 <c>INVALID_PARAMETER_VALUE</c>, 415); the host for overload (429
/// with <see cref="RetryAfterSeconds"/>) and unknown or unready models (404, 503). The message names the field.
/// </summary>
public sealed class ScoringException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScoringException(int statusCode, string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>MLflow's error code, e.g. <c>BAD_REQUEST</c> or <c>INVALID_PARAMETER_VALUE</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>For 429 and 503: the <c>Retry-After</c> header's seconds, or null.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>400 <c>BAD_REQUEST</c>: the body cannot be read (malformed JSON or CSV, no or several format keys).</summary>
    public static ScoringException BadRequest(string message, Exception? inner = null) => new(400, "BAD_REQUEST", message, inner);

    /// <summary>400 <c>INVALID_PARAMETER_VALUE</c>: the body is readable but does not fit the model's signature.</summary>
    public static ScoringException Invalid(string message, Exception? inner = null) => new(400, "INVALID_PARAMETER_VALUE", message, inner);

    /// <summary>415: a content type the endpoint does not take.</summary>
    public static ScoringException UnsupportedMediaType(string message) => new(415, "BAD_REQUEST", message);

    /// <summary>404 <c>RESOURCE_DOES_NOT_EXIST</c>: no such served model or version.</summary>
    public static ScoringException NotFound(string message) => new(404, "RESOURCE_DOES_NOT_EXIST", message);

    /// <summary>429: the model's queue is full.</summary>
    public static ScoringException Overloaded(string message, int retryAfterSeconds) => new(429, "RESOURCE_EXHAUSTED", message) { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>503: the model is not loaded yet or the server is stopping.</summary>
    public static ScoringException Unavailable(string message, int? retryAfterSeconds = null) => new(503, "TEMPORARILY_UNAVAILABLE", message) { RetryAfterSeconds = retryAfterSeconds };
}
