namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>MLflow's <c>Dataset</c> message; schema and profile are omitted when unknown.</summary>
public sealed class DatasetMessage
{
    /// <summary>Dataset name.</summary>
    public string? Name { get; set; }

    /// <summary>Content digest computed by the client.</summary>
    public string? Digest { get; set; }

    /// <summary>Kind of source, e.g. <c>local</c>.</summary>
    public string? SourceType { get; set; }

    /// <summary>JSON describing where the data lives.</summary>
    public string? Source { get; set; }

    /// <summary>JSON schema of the data.</summary>
    public string? Schema { get; set; }

    /// <summary>JSON profile of the data.</summary>
    public string? Profile { get; set; }
}
