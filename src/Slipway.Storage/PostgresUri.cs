using Npgsql;
using Slipway.Core.Registry;

namespace Slipway.Storage;

/// <summary>
/// Converts <c>postgresql://user:password@host:port/database?sslmode=require</c> (also <c>postgres://</c>) to an
/// Npgsql connection string. User and password are percent-decoded; the port defaults to 5432; query parameters
/// pass through as connection string keywords (libpq's <c>sslmode</c>, <c>connect_timeout</c> and
/// <c>application_name</c> are mapped to Npgsql's names).
/// </summary>
public static class PostgresUri
{
    /// <summary>True when the URI has a PostgreSQL scheme.</summary>
    public static bool IsPostgres(string uri) =>
        uri.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Npgsql connection string; throws <see cref="RegistryException"/> (invalid parameter) naming <paramref name="option"/>.</summary>
    public static string ToConnectionString(string uri, string option = "--store")
    {
        if (!IsPostgres(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw RegistryException.Invalid($"Invalid {option} '{Redact(uri)}': expected postgresql://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parsed.Host,
            Port = parsed.IsDefaultPort || parsed.Port < 0 ? 5432 : parsed.Port,
        };
        var database = Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (parsed.UserInfo.Length > 0)
        {
            var colon = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? parsed.UserInfo : parsed.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            var keyword = key.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "connect_timeout" => "Timeout",
                "application_name" => "Application Name",
                "sslrootcert" => "Root Certificate",
                "sslcert" => "SSL Certificate",
                "sslkey" => "SSL Key",
                _ => key,
            };
            try
            {
                builder[keyword] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new RegistryException(RegistryErrorCode.InvalidParameterValue, $"Invalid {option} '{Redact(uri)}': unsupported parameter '{key}={value}'.", e);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>The URI with any password replaced by <c>***</c>, for messages and logs.</summary>
    public static string Redact(string uri)
    {
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        var at = uri.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return uri;
        }

        var colon = uri.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }
}
