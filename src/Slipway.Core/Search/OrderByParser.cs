using Slipway.Core.Registry;

namespace Slipway.Core.Search;

/// <summary>
/// Parses MLflow's <c>order_by</c> list: each entry is <c>KEY</c>, <c>KEY ASC</c> or <c>KEY DESC</c> (any case;
/// default ascending; <c>attributes.</c> prefix and backquotes allowed). <c>timestamp</c> means
/// <c>last_updated_timestamp</c> where that key is allowed, as in MLflow. Runs are ordered by attributes, metrics,
/// params or tags (<see cref="ParseRunOrderBy"/>), experiments by attributes (<see cref="ParseExperimentOrderBy"/>).
/// </summary>
public static class OrderByParser
{
    /// <summary>
    /// Parses the terms; null or empty gives no terms. Throws <see cref="RegistryException"/> (invalid parameter) on an
    /// unknown key, a bad direction, or a key given twice.
    /// </summary>
    /// <param name="orderBy">The entries as sent.</param>
    /// <param name="allowedKeys">Keys (lower case) the caller's entity can be ordered by.</param>
    public static IReadOnlyList<OrderTerm> Parse(IReadOnlyList<string>? orderBy, IReadOnlySet<string> allowedKeys)
    {
        ArgumentNullException.ThrowIfNull(allowedKeys);
        if (orderBy is null || orderBy.Count == 0)
        {
            return [];
        }

        var terms = new List<OrderTerm>(orderBy.Count);
        foreach (var entry in orderBy)
        {
            var parts = (entry ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2)
            {
                throw RegistryException.Invalid($"Invalid order_by clause '{entry}': expected 'key', 'key ASC' or 'key DESC'.");
            }

            var descending = false;
            if (parts.Length == 2)
            {
                descending = parts[1].ToUpperInvariant() switch
                {
                    "ASC" => false,
                    "DESC" => true,
                    _ => throw RegistryException.Invalid($"Invalid order_by clause '{entry}': direction must be ASC or DESC, got '{parts[1]}'."),
                };
            }

            var key = parts[0].Trim('`');
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && key[..dot].ToLowerInvariant() is "attributes" or "attribute" or "attr")
            {
                key = key[(dot + 1)..].Trim('`');
            }

            key = key.ToLowerInvariant();
            if (key == "timestamp" && allowedKeys.Contains("last_updated_timestamp"))
            {
                key = "last_updated_timestamp";
            }

            if (!allowedKeys.Contains(key))
            {
                throw RegistryException.Invalid(
                    $"Invalid order_by clause '{entry}': unknown key '{parts[0]}' (valid: {string.Join(", ", allowedKeys.Order(StringComparer.Ordinal))}).");
            }

            if (terms.Any(t => t.Key == key))
            {
                throw RegistryException.Invalid($"Invalid order_by: `order_by` contains duplicate fields: {string.Join(", ", orderBy)}.");
            }

            terms.Add(new OrderTerm(key, descending));
        }

        return terms;
    }

    /// <summary>Run attributes runs can be ordered by (MLflow's orderable run attributes; <c>created</c> means <c>start_time</c>).</summary>
    public static readonly IReadOnlySet<string> RunOrderAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "run_id", "run_name", "status", "user_id", "artifact_uri", "start_time", "end_time" };

    /// <summary>Experiment attributes experiments can be ordered by.</summary>
    public static readonly IReadOnlySet<string> ExperimentOrderAttributes =
        new HashSet<string>(StringComparer.Ordinal) { "experiment_id", "name", "creation_time", "last_update_time" };

    /// <summary>
    /// Parses a run search's order_by: each entry is <c>KEY [ASC|DESC]</c> where KEY is <c>metrics.NAME</c>,
    /// <c>params.NAME</c>, <c>tags.NAME</c> (names may be quoted with backquotes or double quotes, e.g.
    /// <c>metrics.`f1 score` DESC</c>), or an attribute with or without the <c>attributes.</c> prefix. Null or empty gives
    /// no terms (the store then orders by <c>start_time DESC</c>, <c>run_id</c>). Throws <see cref="RegistryException"/>
    /// (invalid parameter) naming the clause.
    /// </summary>
    public static IReadOnlyList<OrderTerm> ParseRunOrderBy(IReadOnlyList<string>? orderBy) =>
        ParseTyped(orderBy, RunOrderAttributes, allowEntities: true);

    /// <summary>
    /// Parses an experiment search's order_by: <c>experiment_id</c>, <c>name</c>, <c>creation_time</c> or
    /// <c>last_update_time</c>, with or without <c>attributes.</c>, each optionally ASC or DESC. Null or empty gives no
    /// terms (the store then orders by <c>creation_time DESC</c>, <c>experiment_id</c>).
    /// </summary>
    public static IReadOnlyList<OrderTerm> ParseExperimentOrderBy(IReadOnlyList<string>? orderBy) =>
        ParseTyped(orderBy, ExperimentOrderAttributes, allowEntities: false);

    private static List<OrderTerm> ParseTyped(IReadOnlyList<string>? orderBy, IReadOnlySet<string> attributes, bool allowEntities)
    {
        var terms = new List<OrderTerm>();
        if (orderBy is null)
        {
            return terms;
        }

        foreach (var entry in orderBy)
        {
            var term = ParseTypedTerm(entry ?? string.Empty, attributes, allowEntities);
            if (terms.Any(t => t.Kind == term.Kind && t.Key == term.Key))
            {
                throw RegistryException.Invalid($"Invalid order_by: `order_by` contains duplicate fields: {string.Join(", ", orderBy)}.");
            }

            terms.Add(term);
        }

        return terms;
    }

    private static OrderTerm ParseTypedTerm(string entry, IReadOnlySet<string> attributes, bool allowEntities)
    {
        var text = entry.Trim();
        if (text.Length == 0)
        {
            throw RegistryException.Invalid($"Invalid order_by clause '{entry}': expected 'key', 'key ASC' or 'key DESC'.");
        }

        // The direction is the last whitespace-separated word, unless it sits inside a quoted key.
        var descending = false;
        var lastSpace = text.LastIndexOfAny([' ', '\t']);
        if (lastSpace > 0 && !EndsInsideQuotes(text[..lastSpace]))
        {
            var direction = text[(lastSpace + 1)..];
            descending = direction.ToUpperInvariant() switch
            {
                "ASC" => false,
                "DESC" => true,
                _ => throw RegistryException.Invalid($"Invalid order_by clause '{entry}': direction must be ASC or DESC, got '{direction}'."),
            };
            text = text[..lastSpace].TrimEnd();
        }

        var kind = FilterKeyKind.Attribute;
        string key;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && !IsQuote(text[0]))
        {
            var prefix = text[..dot].ToLowerInvariant();
            kind = prefix switch
            {
                "attributes" or "attribute" or "attr" or "run" => FilterKeyKind.Attribute,
                "metrics" or "metric" when allowEntities => FilterKeyKind.Metric,
                "params" or "param" or "parameters" or "parameter" when allowEntities => FilterKeyKind.Param,
                "tags" or "tag" when allowEntities => FilterKeyKind.Tag,
                _ => throw RegistryException.Invalid(allowEntities
                    ? $"Invalid order_by clause '{entry}': unknown key type '{text[..dot]}' (expected 'metrics', 'params', 'tags' or 'attributes')."
                    : $"Invalid order_by clause '{entry}': unknown key type '{text[..dot]}' (expected 'attributes')."),
            };
            key = Unquote(text[(dot + 1)..], entry);
        }
        else
        {
            key = Unquote(text, entry);
        }

        if (key.Length == 0)
        {
            throw RegistryException.Invalid($"Invalid order_by clause '{entry}': the key is empty.");
        }

        if (kind != FilterKeyKind.Attribute)
        {
            return new OrderTerm(key, descending, kind);
        }

        var attribute = key.ToLowerInvariant();
        if (allowEntities && attribute == "created")
        {
            attribute = "start_time";
        }

        return attributes.Contains(attribute)
            ? new OrderTerm(attribute, descending)
            : throw RegistryException.Invalid(
                $"Invalid order_by clause '{entry}': unknown attribute '{key}' (valid: {string.Join(", ", attributes.Order(StringComparer.Ordinal))}).");
    }

    private static bool IsQuote(char ch) => ch is '`' or '"';

    private static bool EndsInsideQuotes(string text)
    {
        char? open = null;
        foreach (var ch in text)
        {
            if (open is null && IsQuote(ch))
            {
                open = ch;
            }
            else if (open == ch)
            {
                open = null;
            }
        }

        return open is not null;
    }

    private static string Unquote(string key, string entry)
    {
        if (key.Length >= 2 && IsQuote(key[0]) && key[^1] == key[0])
        {
            return key[1..^1];
        }

        return key.Any(char.IsWhiteSpace) || key.Any(IsQuote)
            ? throw RegistryException.Invalid($"Invalid order_by clause '{entry}': could not be parsed; quote keys with spaces in backquotes, e.g. metrics.`my metric`.")
            : key;
    }
}
