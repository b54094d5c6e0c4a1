namespace Slipway.Core.Search;

/// <summary>A parsed search request.</summary>
/// <param name="Filter">Clauses joined with AND; empty matches everything.</param>
/// <param name="OrderBy">Ordering terms; the store adds a unique tie-breaker so pages are stable.</param>
/// <param name="MaxResults">Page size, at least 1.</param>
/// <param name="PageToken">Opaque token of a previous page, or null for the first page.</param>
public sealed record SearchQuery(
    IReadOnlyList<FilterClause> Filter,
    IReadOnlyList<OrderTerm> OrderBy,
    int MaxResults,
    string? PageToken);

/// <summary>One page of search results.</summary>
/// <param name="Items">The results.</param>
/// <param name="NextPageToken">Token for the next page, or null when this is the last.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);
