using System.Globalization;
using Spectre.Console;

namespace Slipway.Cli.Output;

/// <summary>Readable renderings of the tracking commands' results (<c>experiments ...</c>, <c>runs ...</c>).</summary>
public static class TrackingTables
{
    /// <summary>How many metric columns <c>runs list</c> shows: the metrics most runs have, 4 at most.</summary>
    public const int ListedMetrics = 4;

    /// <summary>Renders <c>experiments list</c>.</summary>
    public static void RenderExperiments(IAnsiConsole console, ExperimentListView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        if (view.Experiments.Count == 0)
        {
            console.WriteLine("No experiments.");
            return;
        }

        var table = new Table().AddColumns("ID", "Name", "Stage", "Created", "Updated", "Artifact location");
        foreach (var experiment in view.Experiments)
        {
            table.AddRow(
                Escape(experiment.ExperimentId),
                Escape(experiment.Name),
                experiment.LifecycleStage,
                ViewMapper.FormatTimestamp(experiment.CreationTime),
                ViewMapper.FormatTimestamp(experiment.LastUpdateTime),
                Escape(experiment.ArtifactLocation));
        }

        console.Write(table);
    }

    /// <summary>Renders <c>experiments show</c>.</summary>
    public static void RenderExperiment(IAnsiConsole console, ExperimentDetailView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        var experiment = view.Experiment;
        var table = new Table().AddColumns("Field", "Value");
        table.AddRow("ID", Escape(experiment.ExperimentId));
        table.AddRow("Name", Escape(experiment.Name));
        table.AddRow("Stage", experiment.LifecycleStage);
        table.AddRow("Artifact location", Escape(experiment.ArtifactLocation));
        table.AddRow("Created", ViewMapper.FormatTimestamp(experiment.CreationTime));
        table.AddRow("Updated", ViewMapper.FormatTimestamp(experiment.LastUpdateTime));
        table.AddRow("Runs", view.RunCount.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in experiment.Tags)
        {
            table.AddRow(Escape("tag " + key), Escape(value));
        }

        console.Write(table);
        if (view.RecentRuns.Count > 0)
        {
            console.WriteLine("Recent runs:");
            RenderRuns(console, new RunListView(view.RecentRuns));
        }
    }

    /// <summary>Renders <c>runs list</c>: attributes and the metrics most of the listed runs have.</summary>
    public static void RenderRuns(IAnsiConsole console, RunListView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        if (view.Runs.Count == 0)
        {
            console.WriteLine("No runs.");
            return;
        }

        var metricKeys = view.Runs
            .SelectMany(r => r.Metrics.Keys)
            .GroupBy(k => k, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(ListedMetrics)
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        var table = new Table().AddColumns("Run ID", "Name", "Status", "Started", "Duration");
        foreach (var key in metricKeys)
        {
            table.AddColumn(new TableColumn(Escape(key)).RightAligned());
        }

        foreach (var run in view.Runs)
        {
            var cells = new List<string>
            {
                run.RunId,
                Escape(run.RunName),
                run.Status,
                ViewMapper.FormatTimestamp(run.StartTime),
                TrackingViewMapper.FormatDuration(run.DurationMs),
            };
            cells.AddRange(metricKeys.Select(k => run.Metrics.TryGetValue(k, out var value) ? TrackingViewMapper.FormatMetric(value) : "-"));
            table.AddRow(cells.ToArray());
        }

        console.Write(table);
    }

    /// <summary>Renders <c>runs show</c>: attributes, then params, metrics, tags, inputs and artifacts.</summary>
    public static void RenderRun(IAnsiConsole console, RunView run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        var info = new Table().AddColumns("Field", "Value");
        info.AddRow("Run ID", run.RunId);
        info.AddRow("Name", Escape(run.RunName));
        info.AddRow("Experiment", Escape(run.ExperimentId));
        info.AddRow("User", Escape(run.UserId));
        info.AddRow("Status", run.Status);
        info.AddRow("Stage", run.LifecycleStage);
        info.AddRow("Started", ViewMapper.FormatTimestamp(run.StartTime));
        info.AddRow("Ended", run.EndTime is { } end ? ViewMapper.FormatTimestamp(end) : "-");
        info.AddRow("Duration", TrackingViewMapper.FormatDuration(run.DurationMs));
        info.AddRow("Artifact URI", Escape(run.ArtifactUri));
        console.Write(info);

        if (run.Params.Count > 0)
        {
            var table = new Table { Title = new TableTitle("Params") }.AddColumns("Key", "Value");
            foreach (var (key, value) in run.Params)
            {
                table.AddRow(Escape(key), Escape(value));
            }

            console.Write(table);
        }

        if (run.Metrics.Count > 0)
        {
            var table = new Table { Title = new TableTitle("Metrics (latest)") }.AddColumns("Key", "Value", "Step", "Logged");
            foreach (var (key, metric) in run.Metrics)
            {
                table.AddRow(
                    Escape(key),
                    TrackingViewMapper.FormatMetric(metric.Value),
                    metric.Step.ToString(CultureInfo.InvariantCulture),
                    ViewMapper.FormatTimestamp(metric.Timestamp));
            }

            console.Write(table);
        }

        if (run.Tags.Count > 0)
        {
            var table = new Table { Title = new TableTitle("Tags") }.AddColumns("Key", "Value");
            foreach (var (key, value) in run.Tags)
            {
                table.AddRow(Escape(key), Escape(value));
            }

            console.Write(table);
        }

        if (run.Inputs.Count > 0)
        {
            var table = new Table { Title = new TableTitle("Inputs") }.AddColumns("Dataset", "Digest", "Context", "Source type");
            foreach (var input in run.Inputs)
            {
                table.AddRow(Escape(input.Name), Escape(input.Digest), Escape(input.Context), Escape(input.SourceType));
            }

            console.Write(table);
        }

        if (run.Artifacts.Count > 0)
        {
            var table = new Table { Title = new TableTitle("Artifacts") }.AddColumns("Path", "Bytes");
            foreach (var artifact in run.Artifacts)
            {
                table.AddRow(Escape(artifact.Path), artifact.Size?.ToString(CultureInfo.InvariantCulture) ?? "-");
            }

            console.Write(table);
        }
    }

    /// <summary>
    /// Renders <c>runs compare</c>: one column per run, params then final metrics; rows whose values differ are marked
    /// with <c>*</c> and highlighted (the mark survives when colours are off).
    /// </summary>
    public static void RenderComparison(IAnsiConsole console, RunComparisonView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        var table = new Table().AddColumn(" ").AddColumn("Key");
        foreach (var run in view.Runs)
        {
            table.AddColumn(new TableColumn(Escape(run.RunName) + "\n" + run.RunId[..Math.Min(8, run.RunId.Length)]));
        }

        table.AddRow(["", "status", .. view.Runs.Select(r => r.Status)]);
        table.AddRow(["", "duration", .. view.Runs.Select(r => TrackingViewMapper.FormatDuration(r.DurationMs))]);
        foreach (var (key, values) in view.Params)
        {
            AddComparedRow(table, "params." + key, view.Runs.Select(r => values.GetValueOrDefault(r.RunId)).ToList());
        }

        foreach (var (key, values) in view.Metrics)
        {
            AddComparedRow(
                table,
                "metrics." + key,
                view.Runs.Select(r => values.GetValueOrDefault(r.RunId) is { } value ? TrackingViewMapper.FormatMetric(value) : null).ToList());
        }

        console.Write(table);
    }

    private static void AddComparedRow(Table table, string key, IReadOnlyList<string?> values)
    {
        var differs = values.Distinct(StringComparer.Ordinal).Skip(1).Any();
        var cells = values.Select(v => v is null ? "-" : Escape(v)).ToList();
        if (differs)
        {
            table.AddRow(["*", $"[bold yellow]{Escape(key)}[/]", .. cells.Select(c => $"[yellow]{c}[/]")]);
        }
        else
        {
            table.AddRow(["", Escape(key), .. cells]);
        }
    }

    private static string Escape(string text) => Markup.Escape(text);
}
