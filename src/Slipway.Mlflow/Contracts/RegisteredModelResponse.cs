namespace Slipway.Mlflow.Contracts;

/// <summary><c>{"registered_model": {...}}</c>: the answer of create, get, rename and update.</summary>
public sealed class RegisteredModelResponse
{
    /// <summary>The model.</summary>
    public RegisteredModelMessage? RegisteredModel { get; set; }
}
