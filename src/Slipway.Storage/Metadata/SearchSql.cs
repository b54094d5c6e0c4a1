using System.Data.Common;
using System.Globalization;
using System.Text;
using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Storage.Metadata;

/// <summary>A searchable attribute: the SQL expression it maps to and whether it compares as a number.</summary>
internal sealed record SearchColumn(string Sql, bool Numeric);

/// <summary>
/// Turns parsed filter clauses and order terms into SQL fragments with parameters. Values never enter the SQL
/// text; tags are matched with EXISTS subqueries so that a model with many tags is returned once.
/// </summary>
internal sealed class SearchSql
{
    private readonly IReadOnlyDictionary<string, SearchColumn> _columns;
    private readonly string _tagSubquery;
    private readonly List<(string Name, object? Value)> _parameters = [];

    /// <param name="columns">Attribute name → column.</param>
    /// <param name="tagSubquery">
    /// The start of an EXISTS subquery over the tag table aliased <c>t</c>, correlated with the outer row, ending
    /// in a condition so that <c>AND ...</c> can follow.
    /// </param>
    public SearchSql(IReadOnlyDictionary<string, SearchColumn> columns, string tagSubquery)
    {
        _columns = columns;
        _tagSubquery = tagSubquery;
    }

    /// <summary>The WHERE clause (with the keyword), or empty.</summary>
    public string Where(IReadOnlyList<FilterClause> clauses)
    {
        if (clauses.Count == 0)
        {
            return string.Empty;
        }

        var sql = new StringBuilder(" WHERE ");
        for (var i = 0; i < clauses.Count; i++)
        {
            if (i > 0)
            {
                sql.Append(" AND ");
            }

            var clause = clauses[i];
            if (clause.Kind == FilterKeyKind.Tag)
            {
                var key = Parameter(clause.Key);
                sql.Append("EXISTS (").Append(_tagSubquery).Append(" AND t.key = ").Append(key).Append(" AND ");
                Comparison(sql, "t.value", numeric: false, clause);
                sql.Append(')');
            }
            else
            {
                if (!_columns.TryGetValue(clause.Key, out var column))
                {
                    throw RegistryException.Invalid($"Invalid filter: unknown attribute '{clause.Key}'.");
                }

                Comparison(sql, column.Sql, column.Numeric, clause);
            }
        }

        return sql.ToString();
    }

    /// <summary>The ORDER BY clause (with the keyword): the requested terms, then the tie-breakers not yet used.</summary>
    public string OrderBy(IReadOnlyList<OrderTerm> terms, IReadOnlyList<OrderTerm> tieBreakers)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var parts = new List<string>();
        foreach (var term in terms.Concat(tieBreakers))
        {
            if (!_columns.TryGetValue(term.Key, out var column))
            {
                throw RegistryException.Invalid($"Invalid order_by: unknown key '{term.Key}'.");
            }

            if (used.Add(column.Sql))
            {
                parts.Add(column.Sql + (term.Descending ? " DESC" : " ASC"));
            }
        }

        return " ORDER BY " + string.Join(", ", parts);
    }

    /// <summary>Adds LIMIT/OFFSET parameters and returns the clause.</summary>
    public string Limit(int limit, long offset) =>
        $" LIMIT {Parameter((long)limit)} OFFSET {Parameter(offset)}";

    /// <summary>Copies the collected parameters onto a command.</summary>
    public void Bind(DbCommand command)
    {
        foreach (var (name, value) in _parameters)
        {
            Sql.Add(command, name, value);
        }
    }

    private void Comparison(StringBuilder sql, string column, bool numeric, FilterClause clause) =>
        Comparison(sql, column, numeric ? SearchValueKind.Integer : SearchValueKind.Text, clause);

    /// <summary>Appends <c>column OP value</c> for one clause, its values bound as parameters of the kind given.</summary>
    public void Comparison(StringBuilder sql, string column, SearchValueKind kind, FilterClause clause)
    {
        var numeric = kind != SearchValueKind.Text;
        object Value(string text) => kind switch
        {
            SearchValueKind.Integer => ParseNumber(clause.Key, text),
            SearchValueKind.Real => ParseReal(clause.Key, text),
            _ => text,
        };

        switch (clause.Operator)
        {
            case FilterOperator.Like or FilterOperator.ILike when numeric:
                throw RegistryException.Invalid($"Invalid filter: '{clause.Key}' is numeric and does not support {clause.Operator.ToString().ToUpperInvariant()}.");
            case FilterOperator.Like:
                sql.Append(column).Append(" LIKE ").Append(Parameter(Single(clause))).Append(" ESCAPE '\\'");
                break;
            case FilterOperator.ILike:
                sql.Append("lower(").Append(column).Append(") LIKE lower(").Append(Parameter(Single(clause))).Append(") ESCAPE '\\'");
                break;
            case FilterOperator.In or FilterOperator.NotIn:
                if (clause.Values.Count == 0)
                {
                    throw RegistryException.Invalid($"Invalid filter: IN on '{clause.Key}' needs at least one value.");
                }

                sql.Append(column).Append(clause.Operator == FilterOperator.In ? " IN (" : " NOT IN (")
                    .AppendJoin(", ", clause.Values.Select(v => Parameter(Value(v)))).Append(')');
                break;
            default:
                var op = clause.Operator switch
                {
                    FilterOperator.Equal => " = ",
                    FilterOperator.NotEqual => " <> ",
                    FilterOperator.LessThan => " < ",
                    FilterOperator.LessThanOrEqual => " <= ",
                    FilterOperator.GreaterThan => " > ",
                    FilterOperator.GreaterThanOrEqual => " >= ",
                    _ => throw RegistryException.Invalid($"Invalid filter: unsupported operator {clause.Operator}."),
                };
                sql.Append(column).Append(op).Append(Parameter(Value(Single(clause))));
                break;
        }
    }

    private static string Single(FilterClause clause) =>
        clause.Values.Count == 1
            ? clause.Values[0]
            : throw RegistryException.Invalid($"Invalid filter: '{clause.Key}' {clause.Operator} expects exactly one value.");

    private static long ParseNumber(string key, string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw RegistryException.Invalid($"Invalid filter: '{key}' expects an integer, got '{text}'.");

    private static double ParseReal(string key, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw RegistryException.Invalid($"Invalid filter: '{key}' expects a number, got '{text}'.");

    /// <summary>Adds a parameter and returns its placeholder (<c>@pN</c>).</summary>
    public string Parameter(object value)
    {
        var name = "p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value));
        return "@" + name;
    }
}
