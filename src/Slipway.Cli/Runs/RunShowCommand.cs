using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Spectre.Console;

namespace Slipway.Cli.Runs;

/// <summary><c>slipway runs show RUN_ID</c>: a run's attributes, params, latest metrics, tags, inputs and artifacts.</summary>
public static class RunShowCommand
{
    /// <summary>Most artifact files listed: 1,000 (a run with more is summarised by its first ones, sorted by path).</summary>
    public const int MaxArtifacts = 1_000;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var runId = new Argument<string>("RUN_ID") { Description = "Run id (32 hex characters)" };
        var command = new Command("show", "Show a run: params, latest metrics, tags, inputs and artifacts") { runId };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var run = await connection.Tracker.GetRunAsync(parse.GetValue(runId)!, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ArtifactView> artifacts;
            try
            {
                artifacts = await ListArtifactsAsync(connection.Tracker, run.Info.RunId, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException e)
            {
                // The run itself is the answer; artifacts kept where this registry cannot list them are only noted.
                context.Note($"[yellow]artifacts not listed:[/] {Markup.Escape(e.Message)}");
                artifacts = [];
            }

            context.WriteResult(TrackingViewMapper.ToView(run, artifacts), CliJsonContext.Default.RunView, TrackingTables.RenderRun);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Every artifact file of a run (walking directories breadth first), sorted by path, at most <see cref="MaxArtifacts"/>.</summary>
    public static async Task<IReadOnlyList<ArtifactView>> ListArtifactsAsync(IExperimentTracker tracker, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var files = new List<ArtifactView>();
        var directories = new Queue<string>([string.Empty]);
        while (directories.TryDequeue(out var directory) && files.Count < MaxArtifacts)
        {
            string? token = null;
            do
            {
                var listing = await tracker.ListArtifactsAsync(runId, directory.Length == 0 ? null : directory, token, cancellationToken).ConfigureAwait(false);
                foreach (var entry in listing.Files)
                {
                    var path = TrackingViewMapper.ArtifactPath(entry, directory);
                    if (entry.IsDir)
                    {
                        directories.Enqueue(path);
                    }
                    else if (files.Count < MaxArtifacts)
                    {
                        files.Add(new ArtifactView(path, entry.Size));
                    }
                }

                token = listing.NextPageToken;
            }
            while (!string.IsNullOrEmpty(token));
        }

        return files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }
}
