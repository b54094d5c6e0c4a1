namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Answer of <c>metrics/get-history</c>; both fields are omitted when empty.</summary>
public sealed class MetricHistoryResponse
{
    /// <summary>The metric's values on this page, ordered by step, timestamp and value.</summary>
    public IReadOnlyList<MetricMessage>? Metrics { get; set; }

    /// <summary>Token of the next page; omitted on the last page.</summary>
    public string? NextPageToken { get; set; }
}
