using System.Globalization;
using Slipway.Core.Statistics.Drift;
using Slipway.Monitoring.Reports;
using Spectre.Console;

namespace Slipway.Cli.Drift;

/// <summary>Renders a drift report for people: a one-line verdict and one table row per feature, most drifted first.</summary>
public static class DriftTable
{
    /// <summary>Writes the report to <paramref name="console"/>.</summary>
    public static void Render(IAnsiConsole console, DriftReport report, DriftReportContext context)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(context);
        var subject = context.Model is null ? "data" : $"{context.Model} version {context.Version}";
        var verdict = report.DatasetDrift ? "[red]dataset drift[/]" : "[green]no dataset drift[/]";
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{Markup.Escape(subject)}: {verdict}: {report.DriftedFeatures} of {report.Features.Count} features drifted (share {report.DriftedShare:0.##}, threshold {report.DriftShare:0.##}); reference {report.ReferenceRows} rows, current {report.CurrentRows} rows ({Markup.Escape(context.CurrentSource ?? string.Empty)})"));
        var table = new Table().AddColumns("Feature", "Kind", "Method", "Score", "Threshold", "Drifted", "Reference", "Current");
        foreach (var feature in report.Features)
        {
            table.AddRow(
                Markup.Escape(feature.Feature),
                DriftReportJson.KindName(feature.Kind),
                DriftMethods.Name(feature.Method),
                Format(feature.Score),
                Format(feature.Threshold),
                feature.Drifted ? "[red]yes[/]" : "no",
                feature.ReferenceCount.ToString(CultureInfo.InvariantCulture),
                feature.CurrentCount.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    private static string Format(double value) =>
        double.IsFinite(value) ? value.ToString("G4", CultureInfo.InvariantCulture) : "n/a";
}
