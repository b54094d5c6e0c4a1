namespace Slipway.Core.Registry;

/// <summary>MLflow's error codes, as they appear in the <c>error_code</c> field of an error body.</summary>
public enum RegistryErrorCode
{
    /// <summary>A named model, version, alias, run or artifact does not exist (HTTP 404).</summary>
    ResourceDoesNotExist,

    /// <summary>A model or other named resource already exists (HTTP 400).</summary>
    ResourceAlreadyExists,

    /// <summary>A field has a missing, malformed or out-of-range value (HTTP 400).</summary>
    InvalidParameterValue,

    /// <summary>Stored bytes do not match their recorded hash (HTTP 500: the server's fault, never the caller's).</summary>
    DataLoss,

    /// <summary>The operation is not allowed on the resource in its current state (HTTP 400).</summary>
    InvalidState,
}
