namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>MLflow's <c>Param</c> message: <c>{"key": "lr", "value": "0.01"}</c>.</summary>
public sealed class ParamMessage
{
    /// <summary>Parameter name.</summary>
    public string? Key { get; set; }

    /// <summary>Value as text.</summary>
    public string? Value { get; set; }
}
