namespace Slipway.Mlflow.Contracts.Tracking;

/// <summary>Body of <c>POST experiments/search</c> (the GET form carries the same fields as query parameters).</summary>
public sealed class SearchExperimentsRequest
{
    /// <summary>Page size; 1,000 when left out, at most 50,000.</summary>
    public long? MaxResults { get; set; }

    /// <summary>Token from the previous page.</summary>
    public string? PageToken { get; set; }

    /// <summary>Filter, e.g. <c>name LIKE 'fraud%'</c>.</summary>
    public string? Filter { get; set; }

    /// <summary>Order terms, e.g. <c>name ASC</c>.</summary>
    public IReadOnlyList<string>? OrderBy { get; set; }

    /// <summary><c>ACTIVE_ONLY</c> (when left out), <c>DELETED_ONLY</c> or <c>ALL</c>.</summary>
    public string? ViewType { get; set; }
}
