namespace Slipway.Core.Registry;

/// <summary>A failure that callers can act on: it carries MLflow's error code and a message naming the field.</summary>
public sealed class RegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RegistryException(RegistryErrorCode code, string message)
        : base(message) => Code = code;

    /// <summary>Creates the exception around a lower-level cause.</summary>
    public RegistryException(RegistryErrorCode code, string message, Exception inner)
        : base(message, inner) => Code = code;

    /// <summary>The error code sent on the wire.</summary>
    public RegistryErrorCode Code { get; }

    /// <summary>MLflow's spelling of <see cref="Code"/>, e.g. <c>RESOURCE_DOES_NOT_EXIST</c>.</summary>
    public string WireCode => Code switch
    {
        RegistryErrorCode.ResourceDoesNotExist => "RESOURCE_DOES_NOT_EXIST",
        RegistryErrorCode.ResourceAlreadyExists => "RESOURCE_ALREADY_EXISTS",
        RegistryErrorCode.InvalidParameterValue => "INVALID_PARAMETER_VALUE",
        RegistryErrorCode.DataLoss => "DATA_LOSS",
        RegistryErrorCode.InvalidState => "INVALID_STATE",
        _ => "INTERNAL_ERROR",
    };

    /// <summary>Shorthand for a missing resource.</summary>
    public static RegistryException NotFound(string message) => new(RegistryErrorCode.ResourceDoesNotExist, message);

    /// <summary>Shorthand for a bad field value.</summary>
    public static RegistryException Invalid(string message) => new(RegistryErrorCode.InvalidParameterValue, message);

    /// <summary>Shorthand for a duplicate.</summary>
    public static RegistryException AlreadyExists(string message) => new(RegistryErrorCode.ResourceAlreadyExists, message);
}
