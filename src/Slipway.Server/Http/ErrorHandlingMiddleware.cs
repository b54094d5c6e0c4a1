using Slipway.Core.Registry;
using Slipway.Mlflow;

namespace Slipway.Server.Http;

/// <summary>
/// Turns failures into MLflow's error bodies: <see cref="RegistryException"/> into its code and status, oversized
/// bodies into 413, unmatched API routes into 404 <c>ENDPOINT_NOT_FOUND</c>, and anything unexpected into a 500 with a
/// generic message (the details go to the log, never to the caller).
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        RequestUser.Set(context);
        try
        {
            await next(context);
        }
        catch (RegistryException ex)
        {
            if (ex.Code == RegistryErrorCode.DataLoss)
            {
                LogDataLoss(logger, context.Request.Path.Value ?? string.Empty, ex);
            }

            await FailAsync(context, (int)ErrorCodes.ToHttpStatus(ex.Code), ex.WireCode, ex.Message);
            return;
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits (body too large, malformed framing): the caller's fault, never a 500.
            var code = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.RequestLimitExceeded : "INVALID_PARAMETER_VALUE";
            await FailAsync(context, ex.StatusCode, code, ex.Message);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nobody is left to answer.
            return;
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, ex);
            await FailAsync(context, StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "An internal error occurred; see the server log.");
            return;
        }

        if (!context.Response.HasStarted
            && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed
            && context.GetEndpoint() is null or { DisplayName: "405 HTTP Method Not Supported" }
            && IsApi(context.Request.Path))
        {
            await Responses.ErrorAsync(
                context,
                context.Response.StatusCode,
                ErrorCodes.EndpointNotFound,
                $"No API endpoint matches {context.Request.Method} {context.Request.Path}.");
        }
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.Ordinal) || path.StartsWithSegments("/ajax-api", StringComparison.Ordinal);

    private static async Task FailAsync(HttpContext context, int status, string code, string message)
    {
        if (context.Response.HasStarted)
        {
            // Headers (and maybe bytes of a download) are already out: cutting the connection is the only honest signal.
            context.Abort();
            return;
        }

        context.Response.Clear();
        await Responses.ErrorAsync(context, status, code, message);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure answering {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stored bytes failed their hash check while answering {Path}")]
    private static partial void LogDataLoss(ILogger logger, string path, Exception exception);
}
