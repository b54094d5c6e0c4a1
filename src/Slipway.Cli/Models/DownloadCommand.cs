using System.CommandLine;
using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;
using Slipway.Cli.Transfer;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;

namespace Slipway.Cli.Models;

/// <summary>
/// <c>slipway models download MODEL_URI|NAME [VERSION] --out DIR</c>: writes every file of a ready version to a new
/// or empty directory. The registry verifies each file's SHA-256 as it streams; a mismatch fails the download.
/// </summary>
public static class DownloadCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "models:/NAME/VERSION, models:/NAME@ALIAS, or a model NAME followed by VERSION" };
        var version = new Argument<string?>("VERSION") { Description = "Version number when MODEL is a name", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--out") { HelpName = "dir", Description = "Directory to write the files to (must be new or empty)", Required = true };
        var command = new Command("download", "Download the files of a model version") { model, version, output };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var uri = ParseTarget(parse.GetValue(model)!, parse.GetValue(version));
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(directory) || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()))
            {
                throw new CliException($"output directory '{directory}' exists and is not empty.");
            }

            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var registry = connection.Registry;
            var resolved = await registry.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
            var files = await registry.GetModelVersionFilesAsync(resolved.Name, resolved.Version, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(directory);
            var total = files.Sum(f => f.Size);
            await TransferProgress.RunAsync(context, "downloading", total, async progress =>
            {
                foreach (var file in files)
                {
                    await DownloadFileAsync(registry, resolved, file, directory, progress, cancellationToken).ConfigureAwait(false);
                }

                return files.Count;
            }).ConfigureAwait(false);

            var view = new DownloadView(resolved.Name, resolved.Version, directory, files.Select(ViewMapper.ToView).ToList(), total);
            context.WriteResult(view, CliJsonContext.Default.DownloadView, Tables.RenderDownload);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The model URI for the arguments: a <c>models:/</c> URI alone, or a name and a version number. Throws
    /// <see cref="CliException"/> or <see cref="RegistryException"/> naming the bad value.
    /// </summary>
    public static ModelUri ParseTarget(string model, string? version)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.StartsWith("models:/", StringComparison.Ordinal))
        {
            return version is null
                ? ModelUri.Parse(model)
                : throw new CliException($"give either a model URI or a NAME and VERSION, not both ('{model}' '{version}').");
        }

        if (version is null)
        {
            throw new CliException($"'{model}' is not a model URI (models:/NAME/VERSION or models:/NAME@ALIAS); give a VERSION after a model name.");
        }

        return long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
            ? new ModelUri(model, number, null)
            : throw new CliException($"version '{version}' is not a positive whole number.");
    }

    private static async Task DownloadFileAsync(
        IModelRegistry registry, ModelVersion version, StoredFile file, string directory, IProgress<long> progress, CancellationToken cancellationToken)
    {
        // The registry validated paths on upload; check again so a hostile server cannot write outside the folder.
        var relative = ArtifactPath.Normalize(file.Path, "file path");
        var target = Path.GetFullPath(Path.Combine(directory, relative));
        if (!target.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new CliException($"file path '{file.Path}' points outside the output directory.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        try
        {
            var source = await registry.OpenModelVersionFileAsync(version.Name, version.Version, file.Path, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var reader = new ProgressStream(source, progress);
                var writer = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using (writer.ConfigureAwait(false))
                {
                    await reader.CopyToAsync(writer, cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(partial, target);
        }
        finally
        {
            // A file that failed its hash check (or was cut off) must not be left looking complete.
            File.Delete(partial);
        }
    }
}
