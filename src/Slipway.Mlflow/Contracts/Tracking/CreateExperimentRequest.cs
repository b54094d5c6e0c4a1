namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST experiments/create</c>.</summary>
public sealed class CreateExperimentRequest
{
    /// <summary>Required: a unique name.</summary>
    public string? Name { get; set; }

    /// <summary>Root URI of the runs' artifacts; <c>mlflow-artifacts:/ID</c> when left out.</summary>
    public string? ArtifactLocation { get; set; }

    /// <summary>Initial tags; none when left out.</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }
}
