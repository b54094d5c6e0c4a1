namespace Slipway.Mlflow.Contracts;

/// <summary>MLflow's <c>RegisteredModel</c> message; empty lists and an unset description are left out, as MLflow does.</summary>
public sealed class RegisteredModelMessage
{
    /// <summary>Unique name.</summary>
    public string? Name { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long CreationTimestamp { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long LastUpdatedTimestamp { get; set; }

    /// <summary>Who created the model; omitted when unknown.</summary>
    public string? UserId { get; set; }

    /// <summary>Free text; omitted when empty.</summary>
    public string? Description { get; set; }

    /// <summary>Newest version per stage; omitted when the model has no versions.</summary>
    public IReadOnlyList<ModelVersionMessage>? LatestVersions { get; set; }

    /// <summary>Tags; omitted when there are none.</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }

    /// <summary>Aliases; omitted when there are none.</summary>
    public IReadOnlyList<AliasMessage>? Aliases { get; set; }
}
