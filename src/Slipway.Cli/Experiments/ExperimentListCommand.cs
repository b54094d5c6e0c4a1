using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;
using Slipway.Core.Tracking;

namespace Slipway.Cli.Experiments;

/// <summary><c>slipway experiments list [--view active|deleted|all] [--filter F] [--max N]</c>: experiments, newest first.</summary>
public static class ExperimentListCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var view = new Option<string>("--view")
        {
            Description = "Which experiments: active, deleted or all",
            DefaultValueFactory = _ => "active",
        };
        view.AcceptOnlyFromAmong("active", "deleted", "all");
        var filter = new Option<string?>("--filter") { HelpName = "filter", Description = "MLflow search filter, e.g. \"name LIKE 'fraud%'\"" };
        var max = MaxResultsOption.Create("experiments");
        var command = new Command("list", "List experiments, newest first") { view, filter, max };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var limit = MaxResultsOption.Read(parse, max);
            var viewType = parse.GetValue(view) switch
            {
                "deleted" => ViewType.DeletedOnly,
                "all" => ViewType.All,
                _ => ViewType.ActiveOnly,
            };
            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var experiments = new List<ExperimentView>();
            string? token = null;
            do
            {
                var page = await connection.Tracker.SearchExperimentsAsync(
                    parse.GetValue(filter), null, viewType, Math.Min(limit - experiments.Count, 1_000), token, cancellationToken).ConfigureAwait(false);
                experiments.AddRange(page.Items.Take(limit - experiments.Count).Select(TrackingViewMapper.ToView));
                token = page.NextPageToken;
            }
            while (!string.IsNullOrEmpty(token) && experiments.Count < limit);

            context.WriteResult(new ExperimentListView(experiments), CliJsonContext.Default.ExperimentListView, TrackingTables.RenderExperiments);
            return ExitCodes.Success;
        });
        return command;
    }
}
