using Slipway.Cli.CommandLine;

namespace Slipway.Cli.Build;

/// <summary>
/// Builds a context with podman, buildah or docker (the first found on PATH, in that order, unless one is named), in
/// the docker image format (for HEALTHCHECK) with a fixed timestamp (epoch 0) so the same context gives the same layers.
/// </summary>
public static class ImageBuilder
{
    /// <summary>The builders <c>--builder</c> accepts, in the order they are looked for.</summary>
    public static readonly IReadOnlyList<string> Known = ["podman", "buildah", "docker"];

    /// <summary>
    /// The builder to use: <paramref name="requested"/> when given (it must be on PATH), else the first of
    /// <see cref="Known"/> on PATH. Throws <see cref="CliException"/> when none is found.
    /// </summary>
    public static string Choose(string? requested, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (requested is not null)
        {
            if (!Known.Contains(requested, StringComparer.Ordinal))
            {
                throw new CliException($"unknown builder '{requested}': use podman, buildah or docker.");
            }

            return Find(requested, environment) is not null
                ? requested
                : throw new CliException($"builder '{requested}' not found on PATH; install it or use --no-build to write only the context.");
        }

        return Known.FirstOrDefault(b => Find(b, environment) is not null)
            ?? throw new CliException("no image builder found on PATH (podman, buildah or docker); install one or use --no-build to write only the context.");
    }

    /// <summary>Builds <paramref name="context"/> as <paramref name="tag"/>; throws <see cref="CliException"/> with the builder's last error line.</summary>
    public static async Task BuildAsync(string builder, string context, string tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tag);
        var containerfile = Path.Combine(context, "Containerfile");
        string[] arguments = builder switch
        {
            "buildah" => ["bud", "--format", "docker", "--timestamp", "0", "--layers=false", "-f", containerfile, "-t", tag, context],
            "podman" => ["build", "--format", "docker", "--timestamp", "0", "--layers=false", "-f", containerfile, "-t", tag, context],
            // BuildKit reads SOURCE_DATE_EPOCH for the image's timestamps.
            _ => ["build", "--build-arg", "SOURCE_DATE_EPOCH=0", "-f", containerfile, "-t", tag, context],
        };
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["SOURCE_DATE_EPOCH"] = "0" };
        var result = await ExternalProcess.RunAsync(builder, arguments, environment, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new CliException($"{builder} failed to build {tag}: {result.LastLine}");
        }
    }

    private static string? Find(string name, Func<string, string?> environment) =>
        (environment("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}
