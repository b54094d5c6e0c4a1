namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST runs/log-parameter</c>, <c>runs/set-tag</c> and <c>runs/delete-tag</c> (which ignores the value).</summary>
public sealed class RunKeyValueRequest
{
    /// <summary>The run.</summary>
    public string? RunId { get; set; }

    /// <summary>Deprecated spelling of <see cref="RunId"/>, used when that is absent.</summary>
    public string? RunUuid { get; set; }

    /// <summary>Required: parameter or tag key.</summary>
    public string? Key { get; set; }

    /// <summary>The value; required when logging or setting.</summary>
    public string? Value { get; set; }
}
