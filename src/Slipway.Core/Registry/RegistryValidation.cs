using System.Text.RegularExpressions;

namespace Slipway.Core.Registry;

/// <summary>Field rules of the registry; every failure names the field in MLflow's words.</summary>
public static partial class RegistryValidation
{
    /// <summary>Longest registered model name, in characters.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Longest tag key, in characters (MLflow's registry limit).</summary>
    public const int MaxTagKeyLength = 250;

    /// <summary>Longest tag value, in characters (MLflow's registry limit).</summary>
    public const int MaxTagValueLength = 100_000;

    /// <summary>Longest description, in characters.</summary>
    public const int MaxDescriptionLength = 100_000;

    /// <summary>Longest alias, in characters.</summary>
    public const int MaxAliasLength = 255;

    /// <summary>Checks a registered model name: present, at most 256 characters, no '/', '@', ':' or control characters.</summary>
    public static string ModelName(string? name, string field = "name")
    {
        Required(name, field);
        if (name!.Length > MaxNameLength)
        {
            throw RegistryException.Invalid($"'{field}' exceeds the maximum length of {MaxNameLength} characters.");
        }

        if (name.Trim().Length != name.Length || name.Any(c => c is '/' or '@' or ':' || char.IsControl(c)))
        {
            throw RegistryException.Invalid(
                $"Invalid value '{name}' for parameter '{field}': names may not contain '/', '@', ':', control characters or leading/trailing spaces.");
        }

        return name;
    }

    /// <summary>Checks a version number: 1 or more.</summary>
    public static long Version(long version, string field = "version") =>
        version >= 1 ? version : throw RegistryException.Invalid($"Parameter '{field}' must be a positive integer, got {version}.");

    /// <summary>Parses a version number sent as text, as MLflow clients do.</summary>
    public static long Version(string? version, string field = "version")
    {
        Required(version, field);
        return long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
            ? parsed
            : throw RegistryException.Invalid($"Parameter '{field}' must be a positive integer, got '{version}'.");
    }

    /// <summary>
    /// Checks an alias as MLflow does: letters, digits, '_' and '-', at most 255 characters; not <c>latest</c> and not
    /// of the form <c>v&lt;number&gt;</c>, which would be ambiguous with version references.
    /// </summary>
    public static string Alias(string? alias, string field = "alias")
    {
        Required(alias, field);
        if (alias!.Length > MaxAliasLength || !AliasPattern().IsMatch(alias))
        {
            throw RegistryException.Invalid(
                $"Invalid alias name '{alias}' for parameter '{field}': use at most {MaxAliasLength} letters, digits, '_' or '-'.");
        }

        if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase) || VersionLikeAlias().IsMatch(alias))
        {
            throw RegistryException.Invalid($"Invalid alias name '{alias}' for parameter '{field}': 'latest' and 'v<number>' are reserved.");
        }

        return alias;
    }

    /// <summary>Checks a tag key and value against MLflow's registry limits.</summary>
    public static void Tag(string? key, string? value)
    {
        Required(key, "key");
        if (key!.Length > MaxTagKeyLength)
        {
            throw RegistryException.Invalid($"Tag key '{key[..32]}...' exceeds the maximum length of {MaxTagKeyLength} characters ('key').");
        }

        if (value is null)
        {
            throw RegistryException.Invalid("Missing value for required parameter 'value'.");
        }

        if (value.Length > MaxTagValueLength)
        {
            throw RegistryException.Invalid($"Tag value for key '{key}' exceeds the maximum length of {MaxTagValueLength} characters ('value').");
        }
    }

    /// <summary>Checks a description's length; null becomes empty.</summary>
    public static string Description(string? description) =>
        (description ?? string.Empty).Length <= MaxDescriptionLength
            ? description ?? string.Empty
            : throw RegistryException.Invalid($"'description' exceeds the maximum length of {MaxDescriptionLength} characters.");

    /// <summary>Checks a page size against an upper bound.</summary>
    public static int MaxResults(int maxResults, int limit) =>
        maxResults is >= 1 && maxResults <= limit
            ? maxResults
            : throw RegistryException.Invalid($"Invalid value {maxResults} for parameter 'max_results': it must be between 1 and {limit}.");

    /// <summary>Throws MLflow's "missing value" error when the value is null or empty.</summary>
    public static void Required(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw RegistryException.Invalid($"Missing value for required parameter '{field}'.");
        }
    }

    [GeneratedRegex(@"^[\w\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"^[vV]\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionLikeAlias();
}
