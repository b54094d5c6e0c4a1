using System.Text.RegularExpressions;
using System.Xml.Linq;
using Slipway.Monitoring.Reports;

namespace Slipway.Monitoring.Tests.Reports;

public sealed partial class DriftReportHtmlTests
{
    [Fact]
    public void Writes_one_self_contained_page_with_escaped_names_and_a_chart_per_feature()
    {
        var html = Render();

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;amp&quot;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;red&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>red</b>", html, StringComparison.Ordinal);

        // Summary, then features most drifted first, each with a two-sided chart.
        Assert.Contains("Dataset drift detected", html, StringComparison.Ordinal);
        Assert.Contains("1 of 2 features drifted", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf(">age <", StringComparison.Ordinal) < html.IndexOf("&lt;script&gt;", StringComparison.Ordinal));
        Assert.Equal(2, Regex.Count(html, "<svg "));
        Assert.Contains("method ks", html, StringComparison.Ordinal);
        Assert.Contains("p-value 1E-12 &lt; threshold 0.05", html, StringComparison.Ordinal);
        Assert.Contains("[0, 10): reference 25.0%", html, StringComparison.Ordinal);
        Assert.Contains("[0, 10): current 90.0%", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_is_well_formed_markup()
    {
        // The page uses no void elements without a closing slash except meta; closing it makes it XML-parseable.
        var html = Render().Replace("<!DOCTYPE html>", string.Empty, StringComparison.Ordinal)
            .Replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\"/>", StringComparison.Ordinal);
        var document = XDocument.Parse(html.Replace("&nbsp;", " ", StringComparison.Ordinal));
        Assert.Equal("html", document.Root!.Name.LocalName);
        Assert.Equal(2, document.Descendants("article").Count());
        Assert.Equal(8, document.Descendants("rect").Count());
    }

    private static string Render()
    {
        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        DriftReportHtml.Write(writer, SampleReports.TwoFeatures(), new DriftReportContext { Model = "adult", Version = 2, CurrentSource = "today.csv" });
        return writer.ToString();
    }

    [GeneratedRegex("(src|href)\\s*=\\s*\"?https?://", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
