using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts;

/// <summary>An alias of a registered model: <c>{"alias": "champion", "version": "3"}</c>.</summary>
public sealed class AliasMessage
{
    /// <summary>The alias name.</summary>
    public string? Alias { get; set; }

    /// <summary>The version it points to, as a decimal string (MLflow sends versions as strings).</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Version { get; set; }
}
