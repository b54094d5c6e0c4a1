using Slipway.Cli.CommandLine;

namespace Slipway.Cli.Connection;

/// <summary>
/// Where the registry is: a Slipway server reached over HTTP (<see cref="ServerUri"/> set) or a local directory
/// opened in-process (<see cref="Directory"/> set).
/// </summary>
/// <param name="ServerUri">Base address of a Slipway or MLflow server, or null in embedded mode.</param>
/// <param name="Directory">Full path of the embedded registry directory, or null in remote mode.</param>
public sealed record RegistryAddress(Uri? ServerUri, string? Directory)
{
    /// <summary>The embedded default directory, relative to the working directory.</summary>
    public const string DefaultDirectory = ".slipway";

    /// <summary>True when the registry is a server reached over HTTP.</summary>
    public bool IsRemote => ServerUri is not null;

    /// <summary>
    /// Picks the address from <paramref name="option"/> (<c>--registry</c>), else <c>SLIPWAY_TRACKING_URI</c>, else
    /// <c>MLFLOW_TRACKING_URI</c>, else <see cref="DefaultDirectory"/>.
    /// </summary>
    public static RegistryAddress Resolve(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var value = FirstNonEmpty(option, environment("SLIPWAY_TRACKING_URI"), environment("MLFLOW_TRACKING_URI"))
            ?? DefaultDirectory;
        return Parse(value);
    }

    /// <summary>
    /// Parses <c>http(s)://host[:port][/path]</c> or a directory path (also <c>file://</c> URIs). Throws
    /// <see cref="CliException"/> naming the value for other schemes and malformed URLs.
    /// </summary>
    public static RegistryAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return new RegistryAddress(null, Path.GetFullPath(value));
        }

        var scheme = value[..schemeEnd].ToLowerInvariant();
        if (scheme is "http" or "https")
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                throw new CliException($"registry URI '{value}' is not a valid http(s) URL.");
            }

            return new RegistryAddress(uri, null);
        }

        if (scheme == "file" && Uri.TryCreate(value, UriKind.Absolute, out var fileUri))
        {
            return new RegistryAddress(null, fileUri.LocalPath);
        }

        throw new CliException(
            $"registry URI '{value}' is not supported: use http(s)://host:port for a server or a local directory.");
    }

    /// <inheritdoc />
    public override string ToString() => ServerUri?.ToString() ?? Directory ?? string.Empty;

    private static string? FirstNonEmpty(params string?[] values) =>
        values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
