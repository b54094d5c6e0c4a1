using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;
using Slipway.Core.Tracking;

namespace Slipway.Cli.Experiments;

/// <summary><c>slipway experiments show ID_OR_NAME</c>: an experiment's attributes, tags, run count and newest runs.</summary>
public static class ExperimentShowCommand
{
    /// <summary>How many of the newest runs are shown: 5.</summary>
    public const int RecentRuns = 5;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var idOrName = new Argument<string>("ID_OR_NAME") { Description = "Experiment id or name" };
        var command = new Command("show", "Show an experiment with its run count and newest runs") { idOrName };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var tracker = connection.Tracker;
            var experiment = await ExperimentResolver.ResolveAsync(tracker, parse.GetValue(idOrName)!, cancellationToken).ConfigureAwait(false);

            // Counting pages through every run; the first page (newest first, the default order) also gives the recent ones.
            var recent = new List<RunSummaryView>();
            long count = 0;
            string? token = null;
            do
            {
                var page = await tracker.SearchRunsAsync(
                    [experiment.ExperimentId], null, null, ViewType.ActiveOnly, 1_000, token, cancellationToken).ConfigureAwait(false);
                recent.AddRange(page.Items.Take(RecentRuns - recent.Count).Select(TrackingViewMapper.ToSummary));
                count += page.Items.Count;
                token = page.NextPageToken;
            }
            while (!string.IsNullOrEmpty(token));

            var view = new ExperimentDetailView(TrackingViewMapper.ToView(experiment), count, recent);
            context.WriteResult(view, CliJsonContext.Default.ExperimentDetailView, TrackingTables.RenderExperiment);
            return ExitCodes.Success;
        });
        return command;
    }
}
