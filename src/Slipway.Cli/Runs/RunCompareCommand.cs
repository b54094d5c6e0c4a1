using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Output;
using Slipway.Core.Tracking;

namespace Slipway.Cli.Runs;

/// <summary><c>slipway runs compare RUN_ID RUN_ID...</c>: params and final metrics of several runs side by side.</summary>
public static class RunCompareCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var runIds = new Argument<string[]>("RUN_ID") { Description = "Two or more run ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command("compare", "Compare runs side by side: params, then final metrics; differing rows are marked") { runIds };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var ids = parse.GetValue(runIds) ?? [];
            if (ids.Length < 2)
            {
                throw new CliException($"runs compare needs at least two run ids (got {ids.Length}).");
            }

            var duplicate = ids.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new CliException($"run '{duplicate.Key}' is given more than once.");
            }

            await using var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            var runs = new List<Run>();
            foreach (var id in ids)
            {
                runs.Add(await connection.Tracker.GetRunAsync(id, cancellationToken).ConfigureAwait(false));
            }

            context.WriteResult(Compare(runs), CliJsonContext.Default.RunComparisonView, TrackingTables.RenderComparison);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The comparison of <paramref name="runs"/>: every param and metric key any of them has, with null where one lacks it.</summary>
    public static RunComparisonView Compare(IReadOnlyList<Run> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var parameters = runs.Select(TrackingViewMapper.Params).ToList();
        var metrics = runs.Select(TrackingViewMapper.LatestMetrics).ToList();
        var paramTable = new SortedDictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var key in parameters.SelectMany(p => p.Keys).Distinct(StringComparer.Ordinal))
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < runs.Count; i++)
            {
                row[runs[i].Info.RunId] = parameters[i].TryGetValue(key, out var value) ? value : null;
            }

            paramTable[key] = row;
        }

        var metricTable = new SortedDictionary<string, IReadOnlyDictionary<string, double?>>(StringComparer.Ordinal);
        foreach (var key in metrics.SelectMany(m => m.Keys).Distinct(StringComparer.Ordinal))
        {
            var row = new Dictionary<string, double?>(StringComparer.Ordinal);
            for (var i = 0; i < runs.Count; i++)
            {
                row[runs[i].Info.RunId] = metrics[i].TryGetValue(key, out var value) ? value : null;
            }

            metricTable[key] = row;
        }

        return new RunComparisonView(runs.Select(TrackingViewMapper.ToSummary).ToList(), paramTable, metricTable);
    }
}
