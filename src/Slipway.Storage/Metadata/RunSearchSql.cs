using System.Text;
using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Storage.Metadata;

/// <summary>
/// Builds the query that selects one page of run ids for a run search (table <c>runs r</c>). Metric and dataset
/// clauses become <c>r.run_uuid IN (subquery)</c> semi-joins, which the database may drive from either side (e.g. from
/// <c>latest_metrics (key, value)</c> for a selective metric bound); param and tag clauses, whose values no index
/// narrows, become correlated <c>EXISTS</c> probes of the run's own row; each metric, param or tag order key is
/// one LEFT JOIN. Runs lacking an order key sort last in both directions (NaN metrics just before them, as MLflow).
/// </summary>
internal sealed class RunSearchSql
{
    private const string DatasetContextTag = "mlflow.data.context";

    private static readonly Dictionary<string, SearchColumn> Attributes = new(StringComparer.Ordinal)
    {
        ["run_id"] = new("r.run_uuid", Numeric: false),
        ["run_name"] = new("r.name", Numeric: false),
        ["status"] = new("r.status", Numeric: false),
        ["user_id"] = new("r.user_id", Numeric: false),
        ["artifact_uri"] = new("r.artifact_uri", Numeric: false),
        ["start_time"] = new("r.start_time", Numeric: true),
        ["end_time"] = new("r.end_time", Numeric: true),
    };

    private readonly SearchSql _values = new(Attributes, string.Empty);

    /// <summary>
    /// The SELECT of run ids of <paramref name="experimentIds"/> (at least one) matching <paramref name="filter"/>,
    /// ordered by <paramref name="orderBy"/> then <c>start_time DESC, run_id ASC</c>, limited to
    /// <paramref name="limit"/> rows after <paramref name="offset"/>.
    /// </summary>
    public string Build(IReadOnlyList<long> experimentIds, string? lifecycleCondition, IReadOnlyList<FilterClause> filter, IReadOnlyList<OrderTerm> orderBy, int limit, long offset) =>
        Select("SELECT r.run_uuid FROM runs r", experimentIds, lifecycleCondition, filter, orderBy, metricLed: false, limit, offset);

    /// <summary>
    /// For an order led by a metric, the SELECT of the same page restricted to the runs that have a number for that
    /// metric, which come first in the full order: the database reads them from <c>latest_metrics_by_key</c> in order
    /// and probes each run's filter, so it stops as soon as the page is full instead of sorting every match. When it
    /// returns all <paramref name="limit"/> rows they are the page; otherwise the page reaches the runs whose metric is
    /// NaN or missing and only <see cref="Build"/> answers it. Null when the order is not led by a metric.
    /// </summary>
    public string? BuildMetricLed(IReadOnlyList<long> experimentIds, string? lifecycleCondition, IReadOnlyList<FilterClause> filter, IReadOnlyList<OrderTerm> orderBy, int limit, long offset)
    {
        if (orderBy.Count == 0 || orderBy[0].Kind != FilterKeyKind.Metric)
        {
            return null;
        }

        // CROSS JOIN makes SQLite keep the written join order (metric index first); PostgreSQL plans it as a plain join.
        var from = "SELECT r.run_uuid FROM latest_metrics o0 CROSS JOIN runs r";
        return Select(from, experimentIds, lifecycleCondition, filter, orderBy, metricLed: true, limit, offset);
    }

    private string Select(string from, IReadOnlyList<long> experimentIds, string? lifecycleCondition, IReadOnlyList<FilterClause> filter, IReadOnlyList<OrderTerm> orderBy, bool metricLed, int limit, long offset)
    {
        var joins = new StringBuilder();
        var order = new List<string>();
        var orderedColumns = new HashSet<string>(StringComparer.Ordinal);
        var sql = new StringBuilder(from);
        var conditions = new StringBuilder();
        for (var i = 0; i < orderBy.Count; i++)
        {
            var alias = "o" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (i == 0 && metricLed)
            {
                conditions.Append(" AND o0.run_uuid = r.run_uuid AND o0.key = ").Append(_values.Parameter(orderBy[0].Key)).Append(" AND o0.is_nan = 0");
                order.Add("o0.value" + (orderBy[0].Descending ? " DESC" : " ASC"));
                continue;
            }

            AppendOrder(orderBy[i], alias, joins, order, orderedColumns);
        }

        if (orderedColumns.Add("r.start_time"))
        {
            order.Add("r.start_time DESC");
        }

        if (orderedColumns.Add("r.run_uuid"))
        {
            order.Add("r.run_uuid ASC");
        }

        sql.Append(joins).Append(" WHERE r.experiment_id IN (");
        sql.AppendJoin(", ", experimentIds.Select(id => _values.Parameter(id))).Append(')').Append(conditions);
        if (lifecycleCondition is not null)
        {
            sql.Append(" AND ").Append(lifecycleCondition);
        }

        foreach (var clause in filter)
        {
            sql.Append(" AND ");
            AppendClause(sql, clause, probeMetrics: metricLed);
        }

        sql.Append(" ORDER BY ").AppendJoin(", ", order).Append(_values.Limit(limit, offset));
        return sql.ToString();
    }

    /// <summary>Copies the collected parameters onto a command.</summary>
    public void Bind(System.Data.Common.DbCommand command) => _values.Bind(command);

    private void AppendClause(StringBuilder sql, FilterClause clause, bool probeMetrics)
    {
        switch (clause.Kind)
        {
            case FilterKeyKind.Attribute:
                if (!Attributes.TryGetValue(clause.Key, out var column))
                {
                    throw RegistryException.Invalid($"Invalid filter: unknown run attribute '{clause.Key}' (valid: {string.Join(", ", Attributes.Keys.Order(StringComparer.Ordinal))}).");
                }

                _values.Comparison(sql, column.Sql, column.Numeric ? SearchValueKind.Integer : SearchValueKind.Text, clause);
                break;
            case FilterKeyKind.Metric:
                if (clause.Operator is not (FilterOperator.Equal or FilterOperator.NotEqual or FilterOperator.LessThan or FilterOperator.LessThanOrEqual
                    or FilterOperator.GreaterThan or FilterOperator.GreaterThanOrEqual))
                {
                    throw RegistryException.Invalid($"Invalid filter: metric '{clause.Key}' is numeric and supports only =, !=, <, <=, > and >=.");
                }

                // NaN compares false with every number, so NaN values never match. When runs are read in the order of
                // another metric, a probe of each run's own row beats building the set of every run that matches.
                sql.Append(probeMetrics
                    ? "EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = "
                    : "r.run_uuid IN (SELECT m.run_uuid FROM latest_metrics m WHERE m.key = ").Append(_values.Parameter(clause.Key)).Append(" AND m.is_nan = 0 AND ");
                _values.Comparison(sql, "m.value", SearchValueKind.Real, clause);
                sql.Append(')');
                break;
            case FilterKeyKind.Param:
                KeyValueClause(sql, "params", clause);
                break;
            case FilterKeyKind.Tag:
                KeyValueClause(sql, "run_tags", clause);
                break;
            case FilterKeyKind.Dataset:
                DatasetClause(sql, clause);
                break;
            default:
                throw RegistryException.Invalid($"Invalid filter: unsupported key kind {clause.Kind}.");
        }
    }

    private void KeyValueClause(StringBuilder sql, string table, FilterClause clause)
    {
        if (clause.Operator is FilterOperator.LessThan or FilterOperator.LessThanOrEqual or FilterOperator.GreaterThan or FilterOperator.GreaterThanOrEqual)
        {
            throw RegistryException.Invalid($"Invalid filter: '{clause.Key}' is compared as text and supports only =, !=, LIKE, ILIKE, IN and NOT IN.");
        }

        // A correlated EXISTS probes the (run_uuid, key) primary key once per candidate run. An IN list would read every
        // row of the key (value is not indexed, so no bound narrows it) and build a temporary set first: about a quarter
        // slower on SQLite for 10,000 runs, and it cannot stop early when the page is ordered by an index.
        sql.Append("EXISTS (SELECT 1 FROM ").Append(table).Append(" x WHERE x.run_uuid = r.run_uuid AND x.key = ").Append(_values.Parameter(clause.Key)).Append(" AND ");
        _values.Comparison(sql, "x.value", SearchValueKind.Text, clause);
        sql.Append(')');
    }

    private void DatasetClause(StringBuilder sql, FilterClause clause)
    {
        if (clause.Operator is FilterOperator.LessThan or FilterOperator.LessThanOrEqual or FilterOperator.GreaterThan or FilterOperator.GreaterThanOrEqual)
        {
            throw RegistryException.Invalid($"Invalid filter: dataset field '{clause.Key}' supports only =, !=, LIKE, ILIKE, IN and NOT IN.");
        }

        switch (clause.Key)
        {
            case "name" or "digest":
                sql.Append("r.run_uuid IN (SELECT ri.run_uuid FROM run_inputs ri JOIN datasets d ON d.dataset_uuid = ri.dataset_uuid WHERE ");
                _values.Comparison(sql, clause.Key == "name" ? "d.name" : "d.digest", SearchValueKind.Text, clause);
                sql.Append(')');
                break;
            case "context":
                sql.Append("r.run_uuid IN (SELECT it.run_uuid FROM input_tags it WHERE it.key = ").Append(_values.Parameter(DatasetContextTag)).Append(" AND ");
                _values.Comparison(sql, "it.value", SearchValueKind.Text, clause);
                sql.Append(')');
                break;
            default:
                throw RegistryException.Invalid($"Invalid filter: unknown dataset field '{clause.Key}' (valid: context, digest, name).");
        }
    }

    private void AppendOrder(OrderTerm term, string alias, StringBuilder joins, List<string> order, HashSet<string> orderedColumns)
    {
        var direction = term.Descending ? " DESC" : " ASC";
        switch (term.Kind)
        {
            case FilterKeyKind.Attribute:
                if (!Attributes.TryGetValue(term.Key, out var column))
                {
                    throw RegistryException.Invalid($"Invalid order_by: unknown run attribute '{term.Key}' (valid: {string.Join(", ", Attributes.Keys.Order(StringComparer.Ordinal))}).");
                }

                if (orderedColumns.Add(column.Sql))
                {
                    // Only end_time can be NULL (a run that has not ended); it sorts last either way.
                    if (term.Key == "end_time")
                    {
                        order.Add($"CASE WHEN {column.Sql} IS NULL THEN 1 ELSE 0 END");
                    }

                    order.Add(column.Sql + direction);
                }

                break;
            case FilterKeyKind.Metric:
                joins.Append(" LEFT JOIN latest_metrics ").Append(alias).Append(" ON ").Append(alias).Append(".run_uuid = r.run_uuid AND ")
                    .Append(alias).Append(".key = ").Append(_values.Parameter(term.Key));
                order.Add($"CASE WHEN {alias}.run_uuid IS NULL THEN 2 WHEN {alias}.is_nan = 1 THEN 1 ELSE 0 END");
                order.Add(alias + ".value" + direction);
                break;
            case FilterKeyKind.Param or FilterKeyKind.Tag:
                joins.Append(" LEFT JOIN ").Append(term.Kind == FilterKeyKind.Param ? "params " : "run_tags ").Append(alias).Append(" ON ").Append(alias)
                    .Append(".run_uuid = r.run_uuid AND ").Append(alias).Append(".key = ").Append(_values.Parameter(term.Key));
                order.Add($"CASE WHEN {alias}.run_uuid IS NULL THEN 1 ELSE 0 END");
                order.Add(alias + ".value" + direction);
                break;
            default:
                throw RegistryException.Invalid($"Invalid order_by: runs cannot be ordered by {term.Kind.ToString().ToLowerInvariant()} '{term.Key}'.");
        }
    }
}
