namespace Slipway.Mlflow.Contracts;

/// <summary>A key/value tag as MLflow sends it: <c>{"key": "...", "value": "..."}</c>.</summary>
public sealed class TagMessage
{
    /// <summary>Tag key.</summary>
    public string? Key { get; set; }

    /// <summary>Tag value; MLflow allows an empty value.</summary>
    public string? Value { get; set; }
}
