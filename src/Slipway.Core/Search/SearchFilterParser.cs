using System.Globalization;
using System.Text;
using Slipway.Core.Registry;

namespace Slipway.Core.Search;

/// <summary>
/// Parses MLflow's search filters: clauses <c>KEY OP VALUE</c> joined by <c>AND</c> (keywords in any case).
/// Operators: <c>= != &lt; &lt;= &gt; &gt;= LIKE ILIKE IN NOT IN</c>. Values: strings in single or double quotes (a
/// doubled quote escapes itself), numbers, or for IN a parenthesized list of strings. Keys are written
/// <c>prefix.key</c>, where the key may be quoted (<c>tags.`key with spaces`</c>, <c>metrics."f1 score"</c>) or
/// dotted (<c>tags.mlflow.runName</c>); a key without a prefix is an attribute. Three grammars:
/// <list type="bullet">
/// <item><see cref="Parse(string?, IReadOnlySet{string})"/>, the registry's: attributes and tags (<c>tags</c>/<c>tag</c>); numeric attributes
/// (<c>version_number</c>, <c>creation_timestamp</c>, <c>last_updated_timestamp</c>) take integers and comparisons;
/// string attributes take =, !=, LIKE, ILIKE, IN and NOT IN; tags take =, !=, LIKE and ILIKE.</item>
/// <item><see cref="ParseRunFilter"/>, MLflow's run search: metrics, params, tags, attributes and datasets.</item>
/// <item><see cref="ParseExperimentFilter"/>, MLflow's experiment search: attributes and tags.</item>
/// </list>
/// Errors are <see cref="RegistryException"/> (invalid parameter) with the message
/// <c>Invalid filter '...': problem (at character N).</c>
/// </summary>
public static class SearchFilterParser
{
    /// <summary>Attributes compared as integers in the registry's grammar.</summary>
    public static readonly IReadOnlySet<string> NumericAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "version_number", "creation_timestamp", "last_updated_timestamp" };

    /// <summary>Run attributes a run filter can compare (MLflow's searchable run attributes).</summary>
    public static readonly IReadOnlySet<string> RunAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "run_id", "run_name", "status", "user_id", "artifact_uri", "start_time", "end_time" };

    /// <summary>Run attributes compared as integers (milliseconds since the Unix epoch).</summary>
    public static readonly IReadOnlySet<string> NumericRunAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "start_time", "end_time" };

    /// <summary>Dataset fields a run filter can compare: <c>name</c>, <c>digest</c> and <c>context</c> (the <c>mlflow.data.context</c> input tag).</summary>
    public static readonly IReadOnlySet<string> DatasetFields =
        new HashSet<string>(StringComparer.Ordinal) { "name", "digest", "context" };

    /// <summary>Experiment attributes an experiment filter can compare.</summary>
    public static readonly IReadOnlySet<string> ExperimentAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "name", "creation_time", "last_update_time" };

    /// <summary>Experiment attributes compared as integers (milliseconds since the Unix epoch).</summary>
    public static readonly IReadOnlySet<string> NumericExperimentAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "creation_time", "last_update_time" };

    private static readonly string[] AttributePrefixes = ["attributes", "attribute", "attr"];
    private static readonly string[] TagPrefixes = ["tags", "tag"];

    /// <summary>MLflow's aliases of run attributes: <c>created</c> is <c>start_time</c>, <c>run name</c> is <c>run_name</c>.</summary>
    private static readonly Dictionary<string, string> RunAttributeAliases = new(StringComparer.Ordinal)
    {
        ["created"] = "start_time",
        ["run name"] = "run_name",
    };

    private static readonly Dictionary<string, FilterKeyKind> RunPrefixes = new(StringComparer.Ordinal)
    {
        ["metric"] = FilterKeyKind.Metric,
        ["metrics"] = FilterKeyKind.Metric,
        ["param"] = FilterKeyKind.Param,
        ["params"] = FilterKeyKind.Param,
        ["parameter"] = FilterKeyKind.Param,
        ["parameters"] = FilterKeyKind.Param,
        ["tag"] = FilterKeyKind.Tag,
        ["tags"] = FilterKeyKind.Tag,
        ["attribute"] = FilterKeyKind.Attribute,
        ["attributes"] = FilterKeyKind.Attribute,
        ["attr"] = FilterKeyKind.Attribute,
        ["run"] = FilterKeyKind.Attribute,
        ["dataset"] = FilterKeyKind.Dataset,
        ["datasets"] = FilterKeyKind.Dataset,
    };

    private static readonly Grammar RunGrammar = new(
        RunPrefixes,
        "'metrics', 'params', 'tags', 'attributes' or 'datasets'",
        RunAttributes,
        NumericRunAttributes,
        RunAttributeAliases,
        ListAttributes: new HashSet<string>(StringComparer.Ordinal) { "run_id" },
        StrictNumbers: true);

    private static readonly Grammar ExperimentGrammar = new(
        Prefixes(),
        "'attributes' or 'tags'",
        ExperimentAttributes,
        NumericExperimentAttributes,
        new Dictionary<string, string>(StringComparer.Ordinal),
        ListAttributes: new HashSet<string>(StringComparer.Ordinal),
        StrictNumbers: true);

    /// <summary>
    /// Parses a registry filter; null or blank means no clauses. Throws <see cref="RegistryException"/>
    /// (invalid parameter) with a message <c>Invalid filter '...': problem</c>.
    /// </summary>
    /// <param name="filter">The filter string.</param>
    /// <param name="allowedAttributes">Attribute names (lower case) the caller's entity supports.</param>
    public static IReadOnlyList<FilterClause> Parse(string? filter, IReadOnlySet<string> allowedAttributes)
    {
        ArgumentNullException.ThrowIfNull(allowedAttributes);
        var grammar = new Grammar(
            Prefixes(),
            "'attributes' or 'tags'",
            allowedAttributes,
            NumericAttributes,
            new Dictionary<string, string>(StringComparer.Ordinal),
            ListAttributes: null,
            StrictNumbers: false);
        return ParseWith(filter, grammar);
    }

    /// <summary>
    /// Parses a run search filter (MLflow's <c>search_runs</c> grammar); null or blank means no clauses.
    /// <list type="bullet">
    /// <item><c>metrics.KEY</c>: =, !=, &lt;, &lt;=, &gt;, &gt;= against an unquoted number (kind <see cref="FilterKeyKind.Metric"/>).</item>
    /// <item><c>params.KEY</c> (also <c>param</c>, <c>parameter(s)</c>) and <c>tags.KEY</c>: =, !=, LIKE, ILIKE against a quoted string.</item>
    /// <item><c>attributes.NAME</c> (also <c>attribute</c>, <c>attr</c>, <c>run</c>, or no prefix): <c>run_id</c>, <c>run_name</c>,
    /// <c>status</c>, <c>user_id</c>, <c>artifact_uri</c> take =, !=, LIKE, ILIKE against a quoted string, and <c>run_id</c> also
    /// IN / NOT IN a list; <c>start_time</c> (alias <c>created</c>) and <c>end_time</c> take comparisons against an unquoted integer.</item>
    /// <item><c>datasets.name</c>, <c>datasets.digest</c>, <c>datasets.context</c>: =, !=, LIKE, ILIKE, IN, NOT IN.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<FilterClause> ParseRunFilter(string? filter) => ParseWith(filter, RunGrammar);

    /// <summary>
    /// Parses an experiment search filter; null or blank means no clauses. Attributes: <c>name</c> (=, !=, LIKE, ILIKE
    /// against a quoted string), <c>creation_time</c> and <c>last_update_time</c> (comparisons against an unquoted
    /// integer, milliseconds since the Unix epoch). Tags: =, !=, LIKE, ILIKE.
    /// </summary>
    public static IReadOnlyList<FilterClause> ParseExperimentFilter(string? filter) => ParseWith(filter, ExperimentGrammar);

    private static Dictionary<string, FilterKeyKind> Prefixes()
    {
        var prefixes = new Dictionary<string, FilterKeyKind>(StringComparer.Ordinal);
        foreach (var prefix in AttributePrefixes)
        {
            prefixes[prefix] = FilterKeyKind.Attribute;
        }

        foreach (var prefix in TagPrefixes)
        {
            prefixes[prefix] = FilterKeyKind.Tag;
        }

        return prefixes;
    }

    private static List<FilterClause> ParseWith(string? filter, Grammar grammar)
    {
        var clauses = new List<FilterClause>();
        if (string.IsNullOrWhiteSpace(filter))
        {
            return clauses;
        }

        var parser = new Cursor(filter);
        while (true)
        {
            clauses.Add(ParseClause(parser, grammar));
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

    private static FilterClause ParseClause(Cursor c, Grammar grammar)
    {
        c.SkipSpace();
        var (kind, key) = ParseKey(c, grammar);
        c.SkipSpace();
        var opStart = c.Position;
        var op = ParseOperator(c);
        c.SkipSpace();
        var numeric = kind == FilterKeyKind.Attribute && grammar.NumericAttributes.Contains(key);
        var opText = OperatorText(op);
        var comparison = op is FilterOperator.LessThan or FilterOperator.LessThanOrEqual or FilterOperator.GreaterThan or FilterOperator.GreaterThanOrEqual;
        var list = op is FilterOperator.In or FilterOperator.NotIn;
        switch (kind)
        {
            case FilterKeyKind.Tag when comparison || list:
                throw c.ErrorAt(opStart, $"operator {opText} is not supported for tags (use =, !=, LIKE or ILIKE)");
            case FilterKeyKind.Param when comparison || list:
                throw c.ErrorAt(opStart, $"operator {opText} is not supported for params (use =, !=, LIKE or ILIKE)");
            case FilterKeyKind.Metric when !comparison && op is not (FilterOperator.Equal or FilterOperator.NotEqual):
                throw c.ErrorAt(opStart, $"operator {opText} is not supported for metrics (use =, !=, <, <=, > or >=)");
            case FilterKeyKind.Dataset when comparison:
                throw c.ErrorAt(opStart, $"operator {opText} is not supported for datasets (use =, !=, LIKE, ILIKE, IN or NOT IN)");
            case FilterKeyKind.Attribute when numeric && (list || op is FilterOperator.Like or FilterOperator.ILike):
                throw c.ErrorAt(opStart, $"operator {opText} is not supported for numeric attribute '{key}'");
            case FilterKeyKind.Attribute when !numeric && comparison:
                throw c.ErrorAt(opStart, $"operator {opText} is not supported for string attribute '{key}'");
            case FilterKeyKind.Attribute when list && grammar.ListAttributes is { } listable && !listable.Contains(key):
                throw c.ErrorAt(opStart, listable.Count == 0
                    ? $"operator {opText} is not supported for attribute '{key}'"
                    : $"operator {opText} is not supported for attribute '{key}'; only {string.Join(", ", listable.Order(StringComparer.Ordinal).Select(a => "'" + a + "'"))} can be compared with a list");
        }

        if (list)
        {
            return new FilterClause(kind, key, op, ParseList(c));
        }

        var valueStart = c.Position;
        var (value, quoted) = ParseValue(c);
        if (kind == FilterKeyKind.Metric)
        {
            if (quoted || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw c.ErrorAt(valueStart, $"expected a number for metric '{key}', got {Shown(value, quoted)}");
            }

            return new FilterClause(kind, key, op, [value]);
        }

        if (numeric)
        {
            if ((quoted && grammar.StrictNumbers) || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw c.ErrorAt(valueStart, $"'{key}' expects an integer, got {Shown(value, quoted)}");
            }

            return new FilterClause(kind, key, op, [value]);
        }

        if (!quoted)
        {
            throw c.ErrorAt(valueStart, $"expected a quoted string value for '{key}', got {value}");
        }

        return new FilterClause(kind, key, op, [value]);
    }

    private static string Shown(string value, bool quoted) => quoted ? "'" + value + "'" : value;

    private static (FilterKeyKind Kind, string Key) ParseKey(Cursor c, Grammar grammar)
    {
        var start = c.Position;
        var first = c.Quoted('`') ?? c.Identifier() ?? throw c.Error(c.AtEnd ? "expected a key, got the end" : $"expected a key, got '{c.Rest}'");
        if (c.TryChar('.'))
        {
            var prefix = first.ToLowerInvariant();
            var rest = c.Quoted('`') ?? c.Quoted('"') ?? c.Quoted('\'') ?? c.DottedIdentifier()
                ?? throw c.Error($"expected a key after '{first}.'");
            if (!grammar.Prefixes.TryGetValue(prefix, out var kind))
            {
                throw c.ErrorAt(start, $"unknown key type '{first}' (expected {grammar.PrefixNames})");
            }

            return kind switch
            {
                FilterKeyKind.Attribute => (kind, RequireAttribute(c, start, rest, grammar)),
                FilterKeyKind.Dataset => DatasetFields.Contains(rest)
                    ? (kind, rest)
                    : throw c.ErrorAt(start, $"unknown dataset field '{rest}' (valid: {string.Join(", ", DatasetFields.Order(StringComparer.Ordinal))})"),
                _ => (kind, rest),
            };
        }

        return (FilterKeyKind.Attribute, RequireAttribute(c, start, first, grammar));
    }

    private static string RequireAttribute(Cursor c, int start, string name, Grammar grammar)
    {
        var key = name.ToLowerInvariant();
        if (grammar.AttributeAliases.TryGetValue(key, out var canonical))
        {
            key = canonical;
        }

        return grammar.Attributes.Contains(key)
            ? key
            : throw c.ErrorAt(start, $"unknown attribute '{name}' (valid: {string.Join(", ", grammar.Attributes.Order(StringComparer.Ordinal))})");
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

    /// <summary>What one search API accepts: key prefixes, attributes and their types.</summary>
    /// <param name="Prefixes">Key prefixes (lower case) and the kind each names.</param>
    /// <param name="PrefixNames">The prefixes as listed in error messages.</param>
    /// <param name="Attributes">Attribute names (lower case).</param>
    /// <param name="NumericAttributes">Attributes compared as integers.</param>
    /// <param name="AttributeAliases">Other names of attributes (lower case) and the attribute each stands for.</param>
    /// <param name="ListAttributes">String attributes that may be compared with IN / NOT IN; null for all of them.</param>
    /// <param name="StrictNumbers">Whether numeric attributes reject quoted numbers (MLflow's tracking grammar does; the registry's does not).</param>
    private sealed record Grammar(
        IReadOnlyDictionary<string, FilterKeyKind> Prefixes,
        string PrefixNames,
        IReadOnlySet<string> Attributes,
        IReadOnlySet<string> NumericAttributes,
        IReadOnlyDictionary<string, string> AttributeAliases,
        IReadOnlySet<string>? ListAttributes,
        bool StrictNumbers);

    /// <summary>A position in the filter text.</summary>
    private sealed class Cursor(string text)
    {
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public string Rest => text[_position..];

        public int Position => _position;

        public RegistryException Error(string problem) => ErrorAt(_position, problem);

        public RegistryException ErrorAt(int position, string problem) =>
            RegistryException.Invalid(FormattableString.Invariant($"Invalid filter '{text}': {problem} (at character {position + 1})."));

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

        /// <summary>An unquoted number: sign, digits, optional fraction and exponent (e.g. <c>-1.5e-3</c>).</summary>
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

            if (_position > digits && _position + 1 < text.Length && text[_position] is 'e' or 'E'
                && (char.IsAsciiDigit(text[_position + 1]) || (text[_position + 1] is '-' or '+' && _position + 2 < text.Length && char.IsAsciiDigit(text[_position + 2]))))
            {
                _position += 2;
                while (!AtEnd && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }
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
