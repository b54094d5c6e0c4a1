using Slipway.Cli.CommandLine;

namespace Slipway.Cli.Build;

/// <summary>
/// Puts the serving executable (<c>slipway-serve</c>, a self-contained linux-x64 publish of
/// <c>src/Slipway.ServeHost</c>) into a build context: copied from an already published folder (<c>--serve-app</c> or
/// <c>SLIPWAY_SERVE_APP</c>), else published from the Slipway sources found above the executable or the current directory.
/// </summary>
public static class ServeAppSource
{
    /// <summary>The project published when no published folder is given.</summary>
    public const string ProjectPath = "src/Slipway.ServeHost/Slipway.ServeHost.csproj";

    /// <summary>The executable's file name.</summary>
    public const string ExecutableName = "slipway-serve";

    /// <summary>Fills <paramref name="target"/>; throws <see cref="CliException"/> when no app can be found or published.</summary>
    public static async Task WriteAsync(string? published, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (published is not null)
        {
            var source = Path.GetFullPath(published);
            if (!File.Exists(Path.Combine(source, ExecutableName)))
            {
                throw new CliException($"'{source}' holds no {ExecutableName}: give a folder from `dotnet publish {ProjectPath} -c Release -r linux-x64 --self-contained`.");
            }

            CopyTree(source, target);
            return;
        }

        var project = FindProject()
            ?? throw new CliException($"no {ExecutableName} to put in the image: give --serve-app DIR (a linux-x64 self-contained publish of {ProjectPath}) or run from a Slipway source checkout.");
        var arguments = new[]
        {
            "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:InvariantGlobalization=true",
            "-o", target, "-nologo", "-v", "quiet", "-clp:ErrorsOnly",
        };
        ExternalProcessResult result;
        // Two publishes of one project at once overwrite each other's intermediate files (ReadyToRun fails with
        // NETSDK1096): builds started together take turns.
        await using (await LockPublishingAsync(project, cancellationToken).ConfigureAwait(false))
        {
            result = await ExternalProcess.RunAsync("dotnet", arguments, null, cancellationToken).ConfigureAwait(false);
        }

        if (result.ExitCode != 0 || !File.Exists(Path.Combine(target, ExecutableName)))
        {
            // MSBuild writes its errors to standard output; the last one is often only a summary (NETSDK1096), so all are kept.
            var errors = (result.Output + "\n" + result.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).ToList();
            throw new CliException($"dotnet publish {ProjectPath} failed: {(errors.Count > 0 ? string.Join(" | ", errors) : result.LastLine)}");
        }
    }

    /// <summary>
    /// Holds an exclusive lock on <c>obj/slipway-serve-publish.lock</c> beside the project until disposed, waiting while
    /// another process holds it (an exclusive open is an advisory file lock on Unix).
    /// </summary>
    private static async Task<FileStream> LockPublishingAsync(string project, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetDirectoryName(project)!, "obj", "slipway-serve-publish.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waiting = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                if (!waiting)
                {
                    await Console.Error.WriteLineAsync($"waiting for another publish of {ProjectPath} to finish").ConfigureAwait(false);
                    waiting = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string? FindProject()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, ProjectPath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static void CopyTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            File.Copy(file, destination);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(destination, File.GetUnixFileMode(file));
            }
        }
    }
}
