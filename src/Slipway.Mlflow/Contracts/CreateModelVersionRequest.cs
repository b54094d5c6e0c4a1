namespace Slipway.Mlflow.Contracts;

/// <summary>Body of <c>POST model-versions/create</c>.</summary>
public sealed class CreateModelVersionRequest
{
    /// <summary>Required: the registered model.</summary>
    public string? Name { get; set; }

    /// <summary>Required: where the artifacts come from.</summary>
    public string? Source { get; set; }

    /// <summary>Producing run; empty when omitted.</summary>
    public string? RunId { get; set; }

    /// <summary>Initial tags; none when omitted.</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }

    /// <summary>Link to the run; empty when omitted.</summary>
    public string? RunLink { get; set; }

    /// <summary>Free text; empty when omitted.</summary>
    public string? Description { get; set; }

    /// <summary>Slipway's addition: who registers the version; the calling user when omitted. MLflow servers ignore it.</summary>
    public string? UserId { get; set; }
}
