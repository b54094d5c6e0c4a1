using System.Text.Json.Serialization;

namespace Slipway.Mlflow.Contracts;

/// <summary>One alias move in Slipway's alias history.</summary>
public sealed class AliasHistoryEntryMessage
{
    /// <summary>Position in the history, increasing.</summary>
    public long Id { get; set; }

    /// <summary>The registered model.</summary>
    public string? Name { get; set; }

    /// <summary>The alias.</summary>
    public string? Alias { get; set; }

    /// <summary>The version before, as a decimal string; omitted when the alias was created.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? FromVersion { get; set; }

    /// <summary>The version after, as a decimal string; omitted when the alias was deleted.</summary>
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ToVersion { get; set; }

    /// <summary>Who moved it; <c>""</c> when unknown.</summary>
    public string? User { get; set; }

    /// <summary>Why; <c>""</c> when not given.</summary>
    public string? Reason { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; set; }
}
