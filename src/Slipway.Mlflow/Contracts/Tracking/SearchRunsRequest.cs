namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST runs/search</c>.</summary>
public sealed class SearchRunsRequest
{
    /// <summary>Experiments to search.</summary>
    public IReadOnlyList<string>? ExperimentIds { get; set; }

    /// <summary>Filter, e.g. <c>metrics.acc &gt; 0.5 and params.depth = '3'</c>.</summary>
    public string? Filter { get; set; }

    /// <summary><c>ACTIVE_ONLY</c> (when left out), <c>DELETED_ONLY</c> or <c>ALL</c>.</summary>
    public string? RunViewType { get; set; }

    /// <summary>Page size; 1,000 when left out, at most 50,000.</summary>
    public long? MaxResults { get; set; }

    /// <summary>Order terms, e.g. <c>metrics.acc DESC</c>.</summary>
    public IReadOnlyList<string>? OrderBy { get; set; }

    /// <summary>Token from the previous page.</summary>
    public string? PageToken { get; set; }
}
