using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Server.Tests.Monitoring;

/// <summary>A parsed Prometheus text exposition: metric families by type, and the samples.</summary>
internal sealed partial class Scrape
{
    private Scrape(string text, Dictionary<string, string> types, List<(string Name, string Labels, double Value)> samples)
    {
        Text = text;
        Types = types;
        Samples = samples;
    }

    public string Text { get; }

    /// <summary>Metric family name to type (<c>counter</c>, <c>gauge</c>, <c>histogram</c>...).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyList<(string Name, string Labels, double Value)> Samples { get; }

    public static Scrape Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<(string, string, double)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
            }
            else if (!line.StartsWith('#') && SampleLine().Match(line) is { Success: true } match)
            {
                samples.Add((match.Groups["name"].Value, match.Groups["labels"].Value, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return new Scrape(text, types, samples);
    }

    /// <summary>Whether <paramref name="name"/> is exported: a family, or a histogram's <c>_bucket</c>, <c>_sum</c> or <c>_count</c> series.</summary>
    public bool Exports(string name)
    {
        if (Types.ContainsKey(name))
        {
            return true;
        }

        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && Types.TryGetValue(name[..^suffix.Length], out var type) && type == "histogram")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sum over all series of <paramref name="name"/> whose labels contain <paramref name="labelFilter"/>.</summary>
    public double Sum(string name, string labelFilter = "")
    {
        var sum = 0.0;
        foreach (var (sampleName, labels, value) in Samples)
        {
            if (sampleName == name && labels.Contains(labelFilter, StringComparison.Ordinal))
            {
                sum += value;
            }
        }

        return sum;
    }

    /// <summary>A histogram's cumulative bucket counts summed over all its series, by upper bound, ascending.</summary>
    public SortedDictionary<double, double> Buckets(string histogram)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var (name, labels, value) in Samples)
        {
            if (name == histogram + "_bucket" && LeLabel().Match(labels) is { Success: true } le)
            {
                var bound = le.Groups[1].Value == "+Inf" ? double.PositiveInfinity : double.Parse(le.Groups[1].Value, CultureInfo.InvariantCulture);
                buckets[bound] = buckets.GetValueOrDefault(bound) + value;
            }
        }

        return buckets;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})?\s+(?<value>\S+)""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("le=\"([^\"]+)\"")]
    private static partial Regex LeLabel();
}
