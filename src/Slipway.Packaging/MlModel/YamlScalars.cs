using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Packaging;

/// <summary>
/// Resolves plain YAML scalars the way PyYAML's <c>safe_load</c> does (YAML 1.1: null, booleans, ints, floats),
/// and tells which strings PyYAML would have to quote so that they read back as strings.
/// </summary>
internal static partial class YamlScalars
{
    /// <summary>The value of a plain (unquoted) scalar: null, bool, long, double, or the text itself.</summary>
    public static object? Resolve(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON")
        {
            return true;
        }

        if (text is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF")
        {
            return false;
        }

        if (IntPattern().IsMatch(text)
            && long.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (FloatPattern().IsMatch(text))
        {
            var cleaned = text.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            return cleaned switch
            {
                ".INF" or "+.INF" => double.PositiveInfinity,
                "-.INF" => double.NegativeInfinity,
                ".NAN" => double.NaN,
                _ => double.Parse(cleaned, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
        }

        return text;
    }

    /// <summary>Whether a string written plain would read back as something else (null, bool, number, timestamp).</summary>
    public static bool NeedsQuotes(string text) =>
        Resolve(text) is not string
        || TimestampPattern().IsMatch(text)
        || IntPattern().IsMatch(text)
        || text.Length != text.Trim().Length;

    /// <summary>PyYAML's float representation: Python's <c>repr</c>, with <c>.0</c> added before an exponent.</summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return ".nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? ".inf" : "-.inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
        }

        var mantissa = text[..e];
        var exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (!mantissa.Contains('.', StringComparison.Ordinal))
        {
            mantissa += ".0";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}");
    }

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();
}
