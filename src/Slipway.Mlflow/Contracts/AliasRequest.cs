using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts;

/// <summary>
/// Body of <c>POST registered-models/alias</c> (set) and <c>DELETE registered-models/alias</c> (delete).
/// <see cref="Reason"/> is Slipway's addition, recorded in the alias history; MLflow servers ignore it.
/// </summary>
public sealed class AliasRequest
{
    /// <summary>Required: the registered model.</summary>
    public string? Name { get; set; }

    /// <summary>Required: the alias.</summary>
    public string? Alias { get; set; }

    /// <summary>Required for set: the version, as a decimal string (a JSON number is accepted too).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Version { get; set; }

    /// <summary>Why the alias moves; empty when omitted.</summary>
    public string? Reason { get; set; }
}
