namespace Slipway.Mlflow.Contracts;

/// <summary>Body of <c>DELETE registered-models/delete</c>: just the model's name.</summary>
public sealed class RegisteredModelRequest
{
    /// <summary>Required: the model.</summary>
    public string? Name { get; set; }
}
