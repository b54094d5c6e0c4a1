namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>A page of runs; both fields are omitted when empty, as MLflow does.</summary>
public sealed class SearchRunsResponse
{
    /// <summary>The runs on this page.</summary>
    public IReadOnlyList<RunMessage>? Runs { get; set; }

    /// <summary>Token of the next page; omitted on the last page.</summary>
    public string? NextPageToken { get; set; }
}
