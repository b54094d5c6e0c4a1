using System.Net;
using Slipway.Core.Registry;

namespace Slipway.Mlflow;

/// <summary>MLflow's error codes on the wire and the HTTP statuses that carry them.</summary>
public static class ErrorCodes
{
    /// <summary>No route matches the request (HTTP 404).</summary>
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";

    /// <summary>An unexpected server failure (HTTP 500); the message never carries internals.</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>The request body is larger than the server accepts (HTTP 413).</summary>
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";

    /// <summary>The HTTP status for a registry error: 404 not found, 500 data loss, 400 otherwise.</summary>
    public static HttpStatusCode ToHttpStatus(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.ResourceDoesNotExist => HttpStatusCode.NotFound,
        RegistryErrorCode.DataLoss => HttpStatusCode.InternalServerError,
        _ => HttpStatusCode.BadRequest,
    };

    /// <summary>Parses a wire code into a registry error code; false for codes the registry does not raise.</summary>
    public static bool TryParse(string? wireCode, out RegistryErrorCode code)
    {
        switch (wireCode)
        {
            case "RESOURCE_DOES_NOT_EXIST":
                code = RegistryErrorCode.ResourceDoesNotExist;
                return true;
            case "RESOURCE_ALREADY_EXISTS":
                code = RegistryErrorCode.ResourceAlreadyExists;
                return true;
            case "INVALID_PARAMETER_VALUE":
                code = RegistryErrorCode.InvalidParameterValue;
                return true;
            case "DATA_LOSS":
                code = RegistryErrorCode.DataLoss;
                return true;
            case "INVALID_STATE":
                code = RegistryErrorCode.InvalidState;
                return true;
            default:
                code = default;
                return false;
        }
    }
}
