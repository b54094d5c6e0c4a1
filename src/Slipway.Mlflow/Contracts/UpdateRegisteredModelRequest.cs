namespace Slipway.Mlflow.Contracts;

/// <summary>Body of <c>PATCH registered-models/update</c>.</summary>
public sealed class UpdateRegisteredModelRequest
{
    /// <summary>Required: the model.</summary>
    public string? Name { get; set; }

    /// <summary>The new description; empty when omitted.</summary>
    public string? Description { get; set; }
}
