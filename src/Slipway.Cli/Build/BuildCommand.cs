using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Models;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;
using Spectre.Console;

namespace Slipway.Cli.Build;

/// <summary>
/// <c>slipway build MODEL_URI --out DIR [--image TAG] [--builder podman|buildah|docker] [--generic] [--no-build]</c>:
/// writes a build context (the model package in <c>model/</c>, <c>slipway-serve</c> in <c>app/</c>, the C runtime
/// libraries in <c>rootfs/</c>, a <c>Containerfile</c>) and builds a small serving image from it.
/// </summary>
public static class BuildCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("MODEL_URI") { Description = "The model to serve: models:/NAME/VERSION or models:/NAME@ALIAS" };
        var output = new Option<string>("--out") { HelpName = "dir", Description = "Directory to write the build context to (must be new or empty)", Required = true };
        var image = new Option<string?>("--image") { HelpName = "tag", Description = "Image tag (default slipway-NAME:VERSION, or slipway-NAME:ALIAS with --generic)" };
        var builder = new Option<string?>("--builder") { HelpName = "podman|buildah|docker", Description = "Image builder (default: the first of podman, buildah, docker on PATH)" };
        var generic = new Option<bool>("--generic") { Description = "Bake no model: the image pulls MODEL_URI from the registry at SLIPWAY_TRACKING_URI when it starts" };
        var noBuild = new Option<bool>("--no-build") { Description = "Write the build context only" };
        var serveApp = new Option<string?>("--serve-app")
        {
            HelpName = "dir",
            Description = "An already published slipway-serve (linux-x64, self-contained) to copy; default SLIPWAY_SERVE_APP, else publish it from the Slipway sources",
        };
        var command = new Command("build", "Build a small container image that serves a registered model (non-root, health check, OCI labels, reproducible layers)")
        {
            model, output, image, builder, generic, noBuild, serveApp,
        };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var uri = DownloadCommand.ParseTarget(parse.GetValue(model)!, null);
            var isGeneric = parse.GetValue(generic);
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(directory) || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()))
            {
                throw new CliException($"output directory '{directory}' exists and is not empty.");
            }

            // Check the builder before any slow work: a missing one is a one-line error, not a half-written context.
            var chosen = parse.GetValue(noBuild) ? null : ImageBuilder.Choose(parse.GetValue(builder), Environment.GetEnvironmentVariable);
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var resolved = await connection.Registry.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
            var baked = isGeneric ? null : resolved;
            var served = isGeneric ? uri : new ModelUri(resolved.Name, resolved.Version, null);
            var tag = parse.GetValue(image) ?? DefaultTag(resolved.Name, isGeneric ? uri.Alias ?? uri.Version!.Value.ToString(CultureInfo.InvariantCulture) : resolved.Version.ToString(CultureInfo.InvariantCulture));

            Directory.CreateDirectory(directory);
            if (baked is not null)
            {
                context.Note($"downloading {Markup.Escape(resolved.Name)} version {resolved.Version}");
                await DownloadAsync(connection.Registry, baked, Path.Combine(directory, "model"), cancellationToken).ConfigureAwait(false);
            }

            context.Note("adding slipway-serve");
            await ServeAppSource.WriteAsync(parse.GetValue(serveApp) ?? Environment.GetEnvironmentVariable("SLIPWAY_SERVE_APP"), Path.Combine(directory, "app"), cancellationToken).ConfigureAwait(false);
            RootFileSystem.Write(Path.Combine(directory, "rootfs"));
            await File.WriteAllTextAsync(Path.Combine(directory, "Containerfile"), ImageDefinition.Containerfile(resolved.Name, baked, served), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(directory, ".containerignore"), "Containerfile\n.containerignore\n", cancellationToken).ConfigureAwait(false);

            double seconds = 0;
            if (chosen is not null)
            {
                context.Note($"building {Markup.Escape(tag)} with {chosen}");
                var started = Stopwatch.GetTimestamp();
                await ImageBuilder.BuildAsync(chosen, directory, tag, cancellationToken).ConfigureAwait(false);
                seconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            }

            var view = new BuildView(resolved.Name, baked?.Version, baked?.ContentDigest ?? string.Empty, served.ToString(), directory, chosen is null ? null : tag, chosen, seconds);
            context.WriteResult(view, BuildJsonContext.Default.BuildView, Render);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>slipway-NAME:TAG</c> with the name lower-cased and characters an image name cannot hold replaced by '-'.</summary>
    public static string DefaultTag(string name, string tag)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tag);
        var repository = string.Concat(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')).Trim('-', '.', '_');
        var version = string.Concat(tag.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-'));
        return $"slipway-{(repository.Length == 0 ? "model" : repository)}:{version}";
    }

    private static async Task DownloadAsync(IModelRegistry registry, ModelVersion version, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var files = await registry.GetModelVersionFilesAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        foreach (var file in files)
        {
            // The registry validated paths on upload; check again so a hostile server cannot write outside the folder.
            var relative = ArtifactPath.Normalize(file.Path, "file path");
            var target = Path.GetFullPath(Path.Combine(directory, relative));
            if (!target.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new CliException($"file path '{file.Path}' points outside the model directory.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var source = await registry.OpenModelVersionFileAsync(version.Name, version.Version, file.Path, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var writer = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using (writer.ConfigureAwait(false))
                {
                    await source.CopyToAsync(writer, cancellationToken).ConfigureAwait(false);
                }
            }

            if (!OperatingSystem.IsWindows())
            {
                // Readable by the image's non-root user whatever this machine's umask.
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }
    }

    private static void Render(IAnsiConsole console, BuildView view)
    {
        var table = new Table().HideHeaders().AddColumn("Field").AddColumn("Value");
        table.AddRow("Model", Markup.Escape(view.ModelUri));
        table.AddRow("Content digest", view.ContentDigest.Length == 0 ? "(generic image: pulled at start)" : view.ContentDigest);
        table.AddRow("Context", Markup.Escape(view.Context));
        table.AddRow("Image", Markup.Escape(view.Image ?? "(not built)"));
        if (view.Builder is not null)
        {
            table.AddRow("Builder", string.Create(CultureInfo.InvariantCulture, $"{view.Builder} ({view.BuildSeconds:0.0} s)"));
        }

        console.Write(table);
    }
}
