namespace Slipway.Mlflow.Contracts;

/// <summary><c>{"model_version": {...}}</c>: the answer of create, get, update and get-by-alias.</summary>
public sealed class ModelVersionResponse
{
    /// <summary>The version.</summary>
    public ModelVersionMessage? ModelVersion { get; set; }
}
