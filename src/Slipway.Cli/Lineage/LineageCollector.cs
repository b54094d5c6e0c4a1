using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Slipway.Cli.CommandLine;

namespace Slipway.Cli.Lineage;

/// <summary>
/// Collects the immutable <c>slipway.lineage.*</c> tags of a registration: the source file, the git commit the
/// model came from, and fingerprints of the training data.
/// </summary>
public static class LineageCollector
{
    /// <summary>Tag prefix of lineage tags.</summary>
    public const string Prefix = "slipway.lineage.";

    /// <summary>
    /// The lineage tags for a model at <paramref name="modelPath"/> trained on <paramref name="dataPaths"/>:
    /// <c>source_file</c>; <c>git_commit</c> and <c>git_dirty</c> when the model is inside a git checkout;
    /// <c>data.N.path</c>, <c>data.N.sha256</c>, <c>data.N.bytes</c> for each data path (N from 0).
    /// Throws <see cref="CliException"/> naming a data path that does not exist.
    /// </summary>
    public static async Task<Dictionary<string, string>> CollectAsync(
        string modelPath, IReadOnlyList<string> dataPaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(dataPaths);
        var fullModelPath = Path.GetFullPath(modelPath);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Prefix + "source_file"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(fullModelPath)),
        };

        var gitDirectory = Directory.Exists(fullModelPath) ? fullModelPath : Path.GetDirectoryName(fullModelPath)!;
        var commit = await RunGitAsync(gitDirectory, ["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false);
        if (commit is not null && commit.Length > 0)
        {
            tags[Prefix + "git_commit"] = commit;
            var status = await RunGitAsync(gitDirectory, ["status", "--porcelain", "--untracked-files=no"], cancellationToken).ConfigureAwait(false);
            tags[Prefix + "git_dirty"] = string.IsNullOrEmpty(status) ? "false" : "true";
        }

        for (var i = 0; i < dataPaths.Count; i++)
        {
            var full = Path.GetFullPath(dataPaths[i]);
            (string Sha256, long Bytes) fingerprint;
            if (File.Exists(full))
            {
                fingerprint = await ContentHasher.HashFileAsync(full, cancellationToken).ConfigureAwait(false);
            }
            else if (Directory.Exists(full))
            {
                fingerprint = await ContentHasher.HashDirectoryAsync(full, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new CliException($"data path '{dataPaths[i]}' does not exist.");
            }

            var key = string.Create(CultureInfo.InvariantCulture, $"{Prefix}data.{i}.");
            tags[key + "path"] = full;
            tags[key + "sha256"] = fingerprint.Sha256;
            tags[key + "bytes"] = fingerprint.Bytes.ToString(CultureInfo.InvariantCulture);
        }

        return tags;
    }

    // Returns git's trimmed standard output, or null when git is missing or the directory is not in a checkout.
    private static async Task<string?> RunGitAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var text = await output.ConfigureAwait(false);
            _ = await error.ConfigureAwait(false);
            return process.ExitCode == 0 ? text.Trim() : null;
        }
        catch (Win32Exception)
        {
            // git is not installed: lineage simply has no commit.
            return null;
        }
    }
}
