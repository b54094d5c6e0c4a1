using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts;

/// <summary>Body of <c>POST model-versions/set-tag</c> and <c>DELETE model-versions/delete-tag</c>.</summary>
public sealed class ModelVersionTagRequest
{
    /// <summary>Required: the registered model.</summary>
    public string? Name { get; set; }

    /// <summary>Required: the version, as a decimal string (a JSON number is accepted too).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Version { get; set; }

    /// <summary>Required: the tag key.</summary>
    public string? Key { get; set; }

    /// <summary>Required for set-tag (may be empty); ignored by delete-tag.</summary>
    public string? Value { get; set; }
}
