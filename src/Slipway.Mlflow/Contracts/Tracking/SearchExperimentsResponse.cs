namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>A page of experiments; both fields are omitted when empty, as MLflow does.</summary>
public sealed class SearchExperimentsResponse
{
    /// <summary>The experiments on this page.</summary>
    public IReadOnlyList<ExperimentMessage>? Experiments { get; set; }

    /// <summary>Token of the next page; omitted on the last page.</summary>
    public string? NextPageToken { get; set; }
}
