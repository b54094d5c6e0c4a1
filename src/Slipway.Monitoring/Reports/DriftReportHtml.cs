using System.Globalization;
using System.Net;
using Slipway.Core.Statistics.Drift;

namespace Slipway.Monitoring.Reports;

/// <summary>
/// Writes a <see cref="DriftReport"/> as one self-contained HTML page: inline CSS and inline SVG bar charts, no scripts,
/// fonts or anything fetched from elsewhere, so it opens offline and can be mailed or archived as one file. The page has
/// a summary (dataset drift, drifted features out of all, the thresholds) and then one section per feature, most drifted
/// first, with the method, the score against its threshold, a drifted badge and the reference and current histograms
/// drawn as side-by-side bars per bin. Every text from data (feature names, categories) is HTML-escaped.
/// </summary>
public static class DriftReportHtml
{
    private const int ChartHeight = 160;
    private const int BarWidth = 14;
    private const int BinGap = 10;
    private const int MaxBins = 40;

    /// <summary>The report as one self-contained HTML document.</summary>
    public static string ToHtml(DriftReport report, DriftReportContext? context)
    {
        var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(text, report, context);
        return text.ToString();
    }

    /// <summary>Writes the page.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="report">The report.</param>
    /// <param name="context">What the report is about; null leaves the header generic.</param>
    public static void Write(TextWriter writer, DriftReport report, DriftReportContext? context)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        var title = context?.Model is { } model
            ? $"Drift report: {model}" + (context.Version is { } v ? " v" + v.ToString(CultureInfo.InvariantCulture) : string.Empty)
            : "Drift report";

        writer.WriteLine("<!DOCTYPE html>");
        writer.WriteLine("<html lang=\"en\">");
        writer.WriteLine("<head>");
        writer.WriteLine("<meta charset=\"utf-8\">");
        writer.WriteLine($"<title>{Escape(title)}</title>");
        writer.WriteLine("<style>");
        writer.WriteLine(Css);
        writer.WriteLine("</style>");
        writer.WriteLine("</head>");
        writer.WriteLine("<body>");
        writer.WriteLine($"<h1>{Escape(title)}</h1>");
        WriteSummary(writer, report, context);
        writer.WriteLine("<section class=\"features\">");
        foreach (var feature in report.Features)
        {
            WriteFeature(writer, feature);
        }

        writer.WriteLine("</section>");
        writer.WriteLine("</body>");
        writer.WriteLine("</html>");
    }

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1f2328; }
        h1 { font-size: 1.5rem; }
        h2 { font-size: 1.15rem; margin: 0 0 .4rem 0; }
        table.summary { border-collapse: collapse; margin-bottom: 1.5rem; }
        table.summary th, table.summary td { text-align: left; padding: .25rem .75rem; border-bottom: 1px solid #d0d7de; }
        .feature { border: 1px solid #d0d7de; border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
        .badge { display: inline-block; padding: .1rem .5rem; border-radius: 1rem; font-size: .8rem; font-weight: 600; }
        .drifted { background: #ffebe9; color: #cf222e; }
        .stable { background: #dafbe1; color: #1a7f37; }
        .verdict { font-size: 1.1rem; }
        .meta { color: #59636e; margin: .2rem 0 .6rem 0; }
        .legend span { margin-right: 1rem; }
        .swatch { display: inline-block; width: .8rem; height: .8rem; vertical-align: middle; margin-right: .3rem; }
        .ref { background: #8c959f; }
        .cur { background: #0969da; }
        svg text { font-size: 10px; fill: #59636e; }
        """;

    private static void WriteSummary(TextWriter writer, DriftReport report, DriftReportContext? context)
    {
        var verdict = report.DatasetDrift ? "Dataset drift detected" : "No dataset drift";
        writer.WriteLine($"<p class=\"verdict\"><span class=\"badge {(report.DatasetDrift ? "drifted" : "stable")}\">{Escape(verdict)}</span> "
            + Escape(string.Create(CultureInfo.InvariantCulture, $"{report.DriftedFeatures} of {report.Features.Count} features drifted ({report.DriftedShare:P0}); the dataset drifts at {report.DriftShare:P0} or more."))
            + "</p>");
        writer.WriteLine("<table class=\"summary\">");
        Row(writer, "Model", context?.Model);
        Row(writer, "Version", context?.Version?.ToString(CultureInfo.InvariantCulture));
        Row(writer, "Reference", Describe(context?.ReferenceSource, report.ReferenceRows));
        Row(writer, "Current", Describe(context?.CurrentSource ?? context?.Window, report.CurrentRows));
        Row(writer, "Dataset drift", report.DatasetDrift ? "yes" : "no");
        Row(writer, "Drifted features", string.Create(CultureInfo.InvariantCulture, $"{report.DriftedFeatures} of {report.Features.Count}"));
        Row(writer, "Drift share threshold", report.DriftShare.ToString("0.###", CultureInfo.InvariantCulture));
        Row(writer, "Thresholds", "p-value tests drift below their threshold (default 0.05); distances drift at or above theirs (default 0.1)");
        Row(writer, "Generated", context?.GeneratedAt?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        writer.WriteLine("</table>");
    }

    private static string Describe(string? source, long rows) =>
        string.Create(CultureInfo.InvariantCulture, $"{source ?? "data"} ({rows} rows)");

    private static void Row(TextWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteLine($"<tr><th>{Escape(name)}</th><td>{Escape(value)}</td></tr>");
        }
    }

    private static void WriteFeature(TextWriter writer, FeatureDrift feature)
    {
        var pValue = DriftMethods.IsPValue(feature.Method);
        writer.WriteLine("<article class=\"feature\">");
        writer.WriteLine($"<h2>{Escape(feature.Feature)} <span class=\"badge {(feature.Drifted ? "drifted" : "stable")}\">{(feature.Drifted ? "drifted" : "not drifted")}</span></h2>");
        var comparison = pValue
            ? $"p-value {Number(feature.Score)} {(feature.Drifted ? "<" : "≥")} threshold {Number(feature.Threshold)}"
            : $"distance {Number(feature.Score)} {(feature.Drifted ? "≥" : "<")} threshold {Number(feature.Threshold)}";
        writer.WriteLine("<p class=\"meta\">" + Escape(string.Create(CultureInfo.InvariantCulture,
            $"{DriftReportJson.KindName(feature.Kind)} · method {DriftMethods.Name(feature.Method)} · {comparison} · reference {feature.ReferenceCount} values, current {feature.CurrentCount}")) + "</p>");
        writer.WriteLine("<p class=\"legend\"><span><i class=\"swatch ref\"></i>reference</span><span><i class=\"swatch cur\"></i>current</span></p>");
        WriteChart(writer, feature.Histogram);
        writer.WriteLine("</article>");
    }

    private static void WriteChart(TextWriter writer, DriftHistogram histogram)
    {
        var bins = Math.Min(histogram.Bins.Count, MaxBins);
        if (bins == 0)
        {
            writer.WriteLine("<p class=\"meta\">No values to draw.</p>");
            return;
        }

        var max = 0.0;
        for (var b = 0; b < bins; b++)
        {
            max = Math.Max(max, Finite(At(histogram.Reference, b)));
            max = Math.Max(max, Finite(At(histogram.Current, b)));
        }

        max = max <= 0 ? 1 : max;
        const int labelSpace = 70;
        var groupWidth = (2 * BarWidth) + BinGap;
        var width = (bins * groupWidth) + 40;
        var height = ChartHeight + labelSpace;
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"<line x1=\"30\" y1=\"{ChartHeight}\" x2=\"{width}\" y2=\"{ChartHeight}\" stroke=\"#d0d7de\"/>"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"10\">{max:P0}</text>"));
        for (var b = 0; b < bins; b++)
        {
            var x = 30 + (b * groupWidth);
            Bar(writer, x, At(histogram.Reference, b), max, "#8c959f", "reference", histogram.Bins[b]);
            Bar(writer, x + BarWidth, At(histogram.Current, b), max, "#0969da", "current", histogram.Bins[b]);
            var labelX = x + BarWidth;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"<text x=\"{labelX}\" y=\"{ChartHeight + 12}\" transform=\"rotate(45 {labelX} {ChartHeight + 12})\">{Escape(Shorten(histogram.Bins[b]))}</text>"));
        }

        writer.WriteLine("</svg>");
        if (histogram.Bins.Count > MaxBins)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"<p class=\"meta\">The first {MaxBins} of {histogram.Bins.Count} bins are drawn.</p>"));
        }
    }

    private static void Bar(TextWriter writer, int x, double fraction, double max, string color, string side, string bin)
    {
        var value = Finite(fraction);
        var height = value / max * (ChartHeight - 15);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"<rect x=\"{x}\" y=\"{ChartHeight - height:0.##}\" width=\"{BarWidth - 1}\" height=\"{height:0.##}\" fill=\"{color}\"><title>{Escape(bin)}: {side} {value * 100:0.0}%</title></rect>"));
    }

    private static double At(IReadOnlyList<double> values, int index) => index < values.Count ? values[index] : 0;

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static string Shorten(string label) => label.Length <= 14 ? label : string.Concat(label.AsSpan(0, 13), "…");

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("G4", CultureInfo.InvariantCulture) : "n/a";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
