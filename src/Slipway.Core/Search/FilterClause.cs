namespace Slipway.Core.Search;

/// <summary>What a filter clause compares: an attribute of the entity (e.g. <c>name</c>), a tag, or for runs a metric, a parameter or a dataset field.</summary>
public enum FilterKeyKind
{
    /// <summary>An attribute column such as <c>name</c>, <c>run_id</c>, <c>source_path</c>, <c>version_number</c>.</summary>
    Attribute,

    /// <summary>A tag, written <c>tags.key</c> or <c>tags.`key with spaces`</c>.</summary>
    Tag,

    /// <summary>A run's latest metric value, <c>metrics.key</c>; compared as a number.</summary>
    Metric,

    /// <summary>A run parameter, <c>params.key</c>; compared as text.</summary>
    Param,

    /// <summary>A field of a run's input datasets, <c>datasets.name</c>, <c>datasets.digest</c> or <c>datasets.context</c>.</summary>
    Dataset,
}

/// <summary>Comparison operators of MLflow's search filter grammar.</summary>
public enum FilterOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&lt;</c></summary>
    LessThan,

    /// <summary><c>&lt;=</c></summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c></summary>
    GreaterThan,

    /// <summary><c>&gt;=</c></summary>
    GreaterThanOrEqual,

    /// <summary><c>LIKE</c>, case-sensitive, <c>%</c> and <c>_</c> wildcards.</summary>
    Like,

    /// <summary><c>ILIKE</c>, case-insensitive.</summary>
    ILike,

    /// <summary><c>IN ('a', 'b')</c></summary>
    In,

    /// <summary><c>NOT IN ('a', 'b')</c></summary>
    NotIn,
}

/// <summary>One comparison of a filter; clauses of a filter are joined with AND.</summary>
/// <param name="Kind">Attribute or tag.</param>
/// <param name="Key">Attribute name (lower case) or tag key.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Values">One value, or several for IN / NOT IN. Numbers are kept as their text.</param>
public sealed record FilterClause(FilterKeyKind Kind, string Key, FilterOperator Operator, IReadOnlyList<string> Values);

/// <summary>One ordering term of <c>order_by</c>, e.g. <c>name ASC</c> or <c>metrics.auc DESC</c>.</summary>
/// <param name="Key">Attribute name in lower case (e.g. <c>name</c>, <c>last_updated_timestamp</c>, <c>version_number</c>), or the metric, param or tag key as written.</param>
/// <param name="Descending">True for DESC.</param>
/// <param name="Kind">What <paramref name="Key"/> names: an attribute (the default), a metric, a param or a tag.</param>
public sealed record OrderTerm(string Key, bool Descending, FilterKeyKind Kind = FilterKeyKind.Attribute);
