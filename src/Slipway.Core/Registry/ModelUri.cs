namespace Slipway.Core.Registry;

/// <summary>
/// MLflow's model URIs: <c>models:/NAME/VERSION</c> and <c>models:/NAME@ALIAS</c>. Exactly one of
/// <see cref="Version"/> and <see cref="Alias"/> is set.
/// </summary>
public sealed record ModelUri(string Name, long? Version, string? Alias)
{
    private const string Scheme = "models:/";

    /// <summary>Parses a model URI; throws <see cref="RegistryException"/> (invalid parameter) naming the URI otherwise.</summary>
    public static ModelUri Parse(string? uri)
    {
        if (!TryParse(uri, out var parsed))
        {
            throw RegistryException.Invalid(
                $"Model URI '{uri}' is not of the form 'models:/NAME/VERSION' or 'models:/NAME@ALIAS'.");
        }

        return parsed;
    }

    /// <summary>Parses a model URI without throwing.</summary>
    public static bool TryParse(string? uri, out ModelUri parsed)
    {
        parsed = null!;
        if (uri is null || !uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = uri[Scheme.Length..].TrimStart('/').TrimEnd('/');
        var at = rest.LastIndexOf('@');
        if (at > 0 && !rest[(at + 1)..].Contains('/', StringComparison.Ordinal))
        {
            var alias = rest[(at + 1)..];
            if (alias.Length == 0)
            {
                return false;
            }

            parsed = new ModelUri(rest[..at], null, alias);
            return true;
        }

        var slash = rest.LastIndexOf('/');
        if (slash <= 0 || !long.TryParse(rest[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            return false;
        }

        parsed = new ModelUri(rest[..slash], version, null);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Alias is null
            ? FormattableString.Invariant($"{Scheme}{Name}/{Version}")
            : $"{Scheme}{Name}@{Alias}";
}
