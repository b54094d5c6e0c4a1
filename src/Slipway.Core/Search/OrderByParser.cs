using Slipway.Core.Registry;

namespace Slipway.Core.Search;

/// <summary>
/// Parses MLflow's <c>order_by</c> list: each entry is <c>KEY</c>, <c>KEY ASC</c> or <c>KEY DESC</c> (any case;
/// default ascending; <c>attributes.</c> prefix and backquotes allowed). <c>timestamp</c> means
/// <c>last_updated_timestamp</c> where that key is allowed, as in MLflow.
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
}
