namespace Slipway.Mlflow.Contracts;

/// <summary>Body of <c>POST registered-models/create</c>.</summary>
public sealed class CreateRegisteredModelRequest
{
    /// <summary>Required: the unique name.</summary>
    public string? Name { get; set; }

    /// <summary>Initial tags; none when omitted.</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }

    /// <summary>Free text; empty when omitted.</summary>
    public string? Description { get; set; }
}
