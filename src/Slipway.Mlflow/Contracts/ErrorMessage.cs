namespace Slipway.Mlflow.Contracts;

/// <summary>MLflow's error body: <c>{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}</c>.</summary>
public sealed class ErrorMessage
{
    /// <summary>MLflow's error code, e.g. <c>INVALID_PARAMETER_VALUE</c>.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>What went wrong, naming the field.</summary>
    public string? Message { get; set; }
}
