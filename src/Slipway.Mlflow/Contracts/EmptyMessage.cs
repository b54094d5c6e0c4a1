namespace Slipway.Mlflow.Contracts;

/// <summary>The <c>{}</c> body MLflow answers for operations without a result (deletes, tags, aliases).</summary>
public sealed class EmptyMessage
{
    /// <summary>The shared instance.</summary>
    public static EmptyMessage Instance { get; } = new();
}
