using System.Globalization;
using Slipway.Cli.CommandLine;

namespace Slipway.Cli.Registration;

/// <summary>Parses repeated <c>--tag k=v</c> and <c>--metric k=v</c> values.</summary>
public static class KeyValueParser
{
    /// <summary>
    /// Parses <c>key=value</c> pairs (the value may contain <c>=</c>; a later key wins). Throws
    /// <see cref="CliException"/> naming <paramref name="option"/> and the bad item.
    /// </summary>
    public static Dictionary<string, string> ParsePairs(IEnumerable<string>? items, string option)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"{option} '{item}' is not of the form key=value.");
            }

            result[item[..equals].Trim()] = item[(equals + 1)..];
        }

        return result;
    }

    /// <summary>
    /// Parses <c>name=number</c> metrics (invariant culture, e.g. <c>accuracy=0.93</c>). Throws
    /// <see cref="CliException"/> naming the metric whose value is not a finite number.
    /// </summary>
    public static Dictionary<string, double> ParseMetrics(IEnumerable<string>? items)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, text) in ParsePairs(items, "--metric"))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new CliException($"metric '{key}' has value '{text}', which is not a number.");
            }

            result[key] = value;
        }

        return result;
    }
}
