using Slipway.Server;

namespace Slipway.ServeHost;

/// <summary>
/// <c>slipway-serve server</c>: the registry server (MLflow REST API, artifact proxy, Slipway API, webhooks) from the
/// serving image, so one image runs both sides of a Kubernetes install. Settings come from the environment:
/// <c>SLIPWAY_URLS</c> (default <see cref="ServeHostSettings.DefaultUrls"/>), <c>SLIPWAY_STORE</c> and
/// <c>SLIPWAY_ARTIFACTS</c> (as <c>slipway server --store/--artifacts</c>; a PostgreSQL URI without a password takes
/// <c>PGPASSWORD</c>), and <c>SLIPWAY_REGISTRY_DIR</c> for whichever store is not set (default
/// <see cref="DefaultRegistryDirectory"/>).
/// </summary>
public sealed class RegistryServerSettings
{
    /// <summary>The argument that selects the registry server.</summary>
    public const string Argument = "server";

    /// <summary>Where the embedded stores live when <c>SLIPWAY_STORE</c> or <c>SLIPWAY_ARTIFACTS</c> is not set.</summary>
    public const string DefaultRegistryDirectory = "/var/lib/slipway";

    /// <summary>Address(es) to listen on, separated by ';'.</summary>
    public required string Urls { get; init; }

    /// <summary>The metadata store URI, or null for SQLite in <see cref="RegistryDirectory"/>.</summary>
    public string? Store { get; init; }

    /// <summary>The artifact store URI, or null for files in <see cref="RegistryDirectory"/>.</summary>
    public string? Artifacts { get; init; }

    /// <summary>The embedded stores' directory.</summary>
    public required string RegistryDirectory { get; init; }

    /// <summary>Reads the settings; throws <see cref="ArgumentException"/> with a one-line message on a stray argument.</summary>
    public static RegistryServerSettings Read(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        if (args.Count != 1 || args[0] != Argument)
        {
            throw new ArgumentException($"slipway-serve server takes no other arguments (got '{string.Join(' ', args.Skip(1))}'); set SLIPWAY_URLS, SLIPWAY_STORE and SLIPWAY_ARTIFACTS instead.");
        }

        string? Get(string name) => environment(name) is { Length: > 0 } value ? value : null;
        return new RegistryServerSettings
        {
            Urls = Get("SLIPWAY_URLS") ?? ServeHostSettings.DefaultUrls,
            Store = Get("SLIPWAY_STORE"),
            Artifacts = Get("SLIPWAY_ARTIFACTS"),
            RegistryDirectory = Get("SLIPWAY_REGISTRY_DIR") ?? DefaultRegistryDirectory,
        };
    }

    /// <summary>The server host's options (no models served: serving runs in its own Deployments).</summary>
    public SlipwayServerOptions ToOptions() => new()
    {
        Urls = Urls,
        Store = Store,
        Artifacts = Artifacts,
        EmbeddedDirectory = RegistryDirectory,
    };
}
