using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts;

/// <summary>
/// MLflow's <c>ModelVersion</c> message. Fields MLflow omits when unset (user id, status message, empty tag and alias
/// lists) are null here and left out of the JSON; <see cref="ContentDigest"/> is Slipway's addition, which MLflow
/// clients ignore.
/// </summary>
public sealed class ModelVersionMessage
{
    /// <summary>Registered model name.</summary>
    public string? Name { get; set; }

    /// <summary>Version number as a decimal string, e.g. <c>"1"</c>.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Version { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long CreationTimestamp { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long LastUpdatedTimestamp { get; set; }

    /// <summary>Who registered the version; omitted when unknown.</summary>
    public string? UserId { get; set; }

    /// <summary>Legacy stage; <c>"None"</c> unless set through the legacy API.</summary>
    public string? CurrentStage { get; set; }

    /// <summary>Free text; <c>""</c> when never set.</summary>
    public string? Description { get; set; }

    /// <summary>Where the artifacts came from.</summary>
    public string? Source { get; set; }

    /// <summary>Producing run; <c>""</c> when none.</summary>
    public string? RunId { get; set; }

    /// <summary><c>READY</c>, <c>PENDING_REGISTRATION</c> or <c>FAILED_REGISTRATION</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Why registration failed; omitted when empty.</summary>
    public string? StatusMessage { get; set; }

    /// <summary>Tags; omitted when there are none.</summary>
    public IReadOnlyList<TagMessage>? Tags { get; set; }

    /// <summary>Link to the producing run; <c>""</c> when none.</summary>
    public string? RunLink { get; set; }

    /// <summary>Aliases pointing to this version; omitted when there are none.</summary>
    public IReadOnlyList<string>? Aliases { get; set; }

    /// <summary>Slipway's SHA-256 (hex) over the version's file manifest; omitted until ready.</summary>
    public string? ContentDigest { get; set; }
}
