using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts;

/// <summary>Body of <c>DELETE model-versions/delete</c> and <c>PATCH model-versions/update</c>.</summary>
public sealed class ModelVersionRequest
{
    /// <summary>Required: the registered model.</summary>
    public string? Name { get; set; }

    /// <summary>Required: the version, as a decimal string (a JSON number is accepted too).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Version { get; set; }

    /// <summary>The new description (update only); empty when omitted.</summary>
    public string? Description { get; set; }
}
