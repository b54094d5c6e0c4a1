using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Experiments;
using Slipway.Cli.Output;
using Slipway.Core.Tracking;

namespace Slipway.Cli.Runs;

/// <summary>
/// <c>slipway runs list [--experiment ID_OR_NAME]... [--filter F] [--order-by K]... [--max N]</c>: active runs of the
/// given experiments (default: every active experiment), newest first unless ordered otherwise.
/// </summary>
public static class RunListCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var experiments = new Option<string[]>("--experiment")
        {
            HelpName = "id-or-name",
            Description = "Experiment id or name (repeatable; default: every active experiment)",
        };
        var filter = new Option<string?>("--filter") { HelpName = "filter", Description = "MLflow run filter, e.g. \"metrics.auc > 0.9 and params.trees = '50'\"" };
        var orderBy = new Option<string[]>("--order-by")
        {
            HelpName = "key",
            Description = "Order term, e.g. \"metrics.auc DESC\" (repeatable; default: start_time DESC)",
        };
        var max = MaxResultsOption.Create("runs");
        var command = new Command("list", "List runs with their status, duration and main metrics") { experiments, filter, orderBy, max };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var limit = MaxResultsOption.Read(parse, max);
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var tracker = connection.Tracker;
            var ids = new List<string>();
            foreach (var idOrName in parse.GetValue(experiments) ?? [])
            {
                var experiment = await ExperimentResolver.ResolveAsync(tracker, idOrName, cancellationToken).ConfigureAwait(false);
                if (!ids.Contains(experiment.ExperimentId))
                {
                    ids.Add(experiment.ExperimentId);
                }
            }

            if (ids.Count == 0)
            {
                ids.AddRange(await ExperimentResolver.ActiveIdsAsync(tracker, cancellationToken).ConfigureAwait(false));
            }

            var order = parse.GetValue(orderBy) is { Length: > 0 } terms ? terms : null;
            var runs = new List<RunSummaryView>();
            string? token = null;
            do
            {
                var page = await tracker.SearchRunsAsync(
                    ids, parse.GetValue(filter), order, ViewType.ActiveOnly, Math.Min(limit - runs.Count, 1_000), token, cancellationToken).ConfigureAwait(false);
                runs.AddRange(page.Items.Take(limit - runs.Count).Select(TrackingViewMapper.ToSummary));
                token = page.NextPageToken;
            }
            while (!string.IsNullOrEmpty(token) && runs.Count < limit);

            context.WriteResult(new RunListView(runs), CliJsonContext.Default.RunListView, TrackingTables.RenderRuns);
            return ExitCodes.Success;
        });
        return command;
    }
}
