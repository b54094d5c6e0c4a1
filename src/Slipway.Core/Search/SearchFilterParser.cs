using System.Globalization;
using System.Text;
using Slipway.Core.Registry;

namespace Slipway.Core.Search;

/// <summary>
/// Parses MLflow's registry search filter: clauses <c>KEY OP VALUE</c> joined by <c>AND</c> (keywords in any case).
/// Keys: an attribute (<c>name</c>, optionally written <c>attributes.name</c>) or a tag (<c>tags.key</c>,
/// <c>tags.`key with spaces`</c>, <c>tags."key"</c>). Operators: <c>= != &lt; &lt;= &gt; &gt;= LIKE ILIKE IN NOT IN</c>.
/// Values: strings in single or double quotes (a doubled quote escapes itself), integers, or for IN a
/// parenthesized list of strings. Numeric attributes (<c>version_number</c>, <c>creation_timestamp</c>,
/// <c>last_updated_timestamp</c>) take integers and comparisons; string attributes take =, !=, LIKE, ILIKE, IN and
/// NOT IN; tags take =, !=, LIKE and ILIKE.
/// </summary>
public static class SearchFilterParser
{
    /// <summary>Attributes compared as integers.</summary>
    public static readonly IReadOnlySet<string> NumericAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "version_number", "creation_timestamp", "last_updated_timestamp" };

    private static readonly string[] AttributePrefixes = ["attributes", "attribute", "attr"];
    private static readonly string[] TagPrefixes = ["tags", "tag"];

    /// <summary>
    /// Parses <paramref name="filter"/>; null or blank means no clauses. Throws <see cref="RegistryException"/>
    /// (invalid parameter) with a message <c>Invalid filter '...': problem</c>.
    /// </summary>
    /// <param name="filter">The filter string.</param>
    /// <param name="allowedAttributes">Attribute names (lower case) the caller's entity supports.</param>
    public static IReadOnlyList<FilterClause> Parse(string? filter, IReadOnlySet<string> allowedAttributes)
    {
        ArgumentNullException.ThrowIfNull(allowedAttributes);
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        var clauses = new List<FilterClause>();
        var parser = new Cursor(filter);
        while (true)
        {
            clauses.Add(ParseClause(parser, allowedAttributes));
            parser.SkipSpace();
            if (parser.AtEnd)
            {
                return clauses;
            }

            if (!parser.TryKeyword("AND"))
            {
                throw parser.Error($"expected AND or the end after a clause, got '{parser.Rest}'");
            }
        }
    }

    private static FilterClause ParseClause(Cursor c, IReadOnlySet<string> allowed)
    {
        c.SkipSpace();
        var (kind, key) = ParseKey(c, allowed);
        c.SkipSpace();
        var op = ParseOperator(c);
        c.SkipSpace();
        var numeric = kind == FilterKeyKind.Attribute && NumericAttributes.Contains(key);
        var opText = OperatorText(op);
        switch (kind)
        {
            case FilterKeyKind.Tag when op is not (FilterOperator.Equal or FilterOperator.NotEqual or FilterOperator.Like or FilterOperator.ILike):
                throw c.Error($"operator {opText} is not supported for tags (use =, !=, LIKE or ILIKE)");
            case FilterKeyKind.Attribute when numeric && op is FilterOperator.Like or FilterOperator.ILike or FilterOperator.In or FilterOperator.NotIn:
                throw c.Error($"operator {opText} is not supported for numeric attribute '{key}'");
            case FilterKeyKind.Attribute when !numeric && op is FilterOperator.LessThan or FilterOperator.LessThanOrEqual or FilterOperator.GreaterThan or FilterOperator.GreaterThanOrEqual:
                throw c.Error($"operator {opText} is not supported for string attribute '{key}'");
        }

        if (op is FilterOperator.In or FilterOperator.NotIn)
        {
            return new FilterClause(kind, key, op, ParseList(c));
        }

        var (value, quoted) = ParseValue(c);
        if (numeric && !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw c.Error($"'{key}' expects an integer, got '{value}'");
        }

        if (!numeric && !quoted)
        {
            throw c.Error($"expected a quoted string value for '{key}', got {value}");
        }

        return new FilterClause(kind, key, op, [value]);
    }

    private static (FilterKeyKind Kind, string Key) ParseKey(Cursor c, IReadOnlySet<string> allowed)
    {
        var first = c.Quoted('`') ?? c.Identifier() ?? throw c.Error(c.AtEnd ? "expected a key, got the end" : $"expected a key, got '{c.Rest}'");
        if (c.TryChar('.'))
        {
            var prefix = first.ToLowerInvariant();
            var rest = c.Quoted('`') ?? c.Quoted('"') ?? c.Quoted('\'') ?? c.DottedIdentifier()
                ?? throw c.Error($"expected a key after '{first}.'");
            if (TagPrefixes.Contains(prefix))
            {
                return (FilterKeyKind.Tag, rest);
            }

            if (AttributePrefixes.Contains(prefix))
            {
                return (FilterKeyKind.Attribute, RequireAttribute(c, rest, allowed));
            }

            throw c.Error($"unknown key type '{first}' (expected 'attributes' or 'tags')");
        }

        return (FilterKeyKind.Attribute, RequireAttribute(c, first, allowed));
    }

    private static string RequireAttribute(Cursor c, string name, IReadOnlySet<string> allowed)
    {
        var key = name.ToLowerInvariant();
        return allowed.Contains(key)
            ? key
            : throw c.Error($"unknown attribute '{name}' (valid: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})");
    }

    private static FilterOperator ParseOperator(Cursor c)
    {
        if (c.TryText("!="))
        {
            return FilterOperator.NotEqual;
        }

        if (c.TryText("<="))
        {
            return FilterOperator.LessThanOrEqual;
        }

        if (c.TryText(">="))
        {
            return FilterOperator.GreaterThanOrEqual;
        }

        if (c.TryText("="))
        {
            return FilterOperator.Equal;
        }

        if (c.TryText("<"))
        {
            return FilterOperator.LessThan;
        }

        if (c.TryText(">"))
        {
            return FilterOperator.GreaterThan;
        }

        if (c.TryKeyword("LIKE"))
        {
            return FilterOperator.Like;
        }

        if (c.TryKeyword("ILIKE"))
        {
            return FilterOperator.ILike;
        }

        if (c.TryKeyword("IN"))
        {
            return FilterOperator.In;
        }

        if (c.TryKeyword("NOT"))
        {
            c.SkipSpace();
            return c.TryKeyword("IN") ? FilterOperator.NotIn : throw c.Error("expected IN after NOT");
        }

        throw c.Error(c.AtEnd ? "expected an operator, got the end" : $"expected an operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN), got '{c.Rest}'");
    }

    private static (string Value, bool Quoted) ParseValue(Cursor c)
    {
        if (c.Quoted('\'') is { } single)
        {
            return (single, true);
        }

        if (c.Quoted('"') is { } dbl)
        {
            return (dbl, true);
        }

        return c.Number() is { } number
            ? (number, false)
            : throw c.Error(c.AtEnd ? "expected a value, got the end" : $"expected a quoted string or a number, got '{c.Rest}'");
    }

    private static List<string> ParseList(Cursor c)
    {
        if (!c.TryChar('('))
        {
            throw c.Error("expected a parenthesized list of quoted strings after IN, e.g. ('a', 'b')");
        }

        var values = new List<string>();
        while (true)
        {
            c.SkipSpace();
            var value = c.Quoted('\'') ?? c.Quoted('"') ?? throw c.Error("expected a quoted string in the IN list");
            values.Add(value);
            c.SkipSpace();
            if (c.TryChar(')'))
            {
                return values;
            }

            if (!c.TryChar(','))
            {
                throw c.Error("expected ',' or ')' in the IN list");
            }
        }
    }

    private static string OperatorText(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "!=",
        FilterOperator.LessThan => "<",
        FilterOperator.LessThanOrEqual => "<=",
        FilterOperator.GreaterThan => ">",
        FilterOperator.GreaterThanOrEqual => ">=",
        FilterOperator.Like => "LIKE",
        FilterOperator.ILike => "ILIKE",
        FilterOperator.In => "IN",
        _ => "NOT IN",
    };

    /// <summary>A position in the filter text.</summary>
    private sealed class Cursor(string text)
    {
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public string Rest => text[_position..];

        public RegistryException Error(string problem) => RegistryException.Invalid($"Invalid filter '{text}': {problem}.");

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        public bool TryChar(char ch)
        {
            if (!AtEnd && text[_position] == ch)
            {
                _position++;
                return true;
            }

            return false;
        }

        public bool TryText(string token)
        {
            if (string.CompareOrdinal(text, _position, token, 0, token.Length) == 0)
            {
                _position += token.Length;
                return true;
            }

            return false;
        }

        /// <summary>A case-insensitive keyword not followed by an identifier character.</summary>
        public bool TryKeyword(string keyword)
        {
            var end = _position + keyword.Length;
            if (end <= text.Length
                && string.Compare(text, _position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (end == text.Length || !IsIdentifierChar(text[end])))
            {
                _position = end;
                return true;
            }

            return false;
        }

        public string? Identifier()
        {
            var start = _position;
            while (!AtEnd && IsIdentifierChar(text[_position]))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : null;
        }

        /// <summary>A tag key without quotes: identifier characters and dots (e.g. <c>slipway.lineage.data</c>).</summary>
        public string? DottedIdentifier()
        {
            var start = _position;
            while (!AtEnd && (IsIdentifierChar(text[_position]) || text[_position] == '.'))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : null;
        }

        public string? Number()
        {
            var start = _position;
            if (!AtEnd && (text[_position] == '-' || text[_position] == '+'))
            {
                _position++;
            }

            var digits = _position;
            while (!AtEnd && (char.IsAsciiDigit(text[_position]) || text[_position] == '.'))
            {
                _position++;
            }

            if (_position == digits || (!AtEnd && IsIdentifierChar(text[_position])))
            {
                _position = start;
                return null;
            }

            return text[start.._position];
        }

        /// <summary>A string in <paramref name="quote"/> characters; a doubled quote stands for one.</summary>
        public string? Quoted(char quote)
        {
            if (AtEnd || text[_position] != quote)
            {
                return null;
            }

            var value = new StringBuilder();
            var i = _position + 1;
            while (i < text.Length)
            {
                if (text[i] == quote)
                {
                    if (i + 1 < text.Length && text[i + 1] == quote)
                    {
                        value.Append(quote);
                        i += 2;
                        continue;
                    }

                    _position = i + 1;
                    return value.ToString();
                }

                value.Append(text[i]);
                i++;
            }

            throw Error($"unterminated {quote}-quoted string");
        }

        private static bool IsIdentifierChar(char ch) => char.IsAsciiLetterOrDigit(ch) || ch == '_';
    }
}
