using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Core.Statistics.Drift;

namespace Slipway.Cli.Drift;

/// <summary>Turns <c>--method</c>, <c>--threshold</c> and <c>--feature-method</c> into <see cref="DriftOptions"/>, refusing bad values by name.</summary>
public static class DriftOptionsParser
{
    /// <summary>Builds the options; <paramref name="features"/> are the model's feature names, which overrides must name.</summary>
    /// <exception cref="CliException">An unknown method, a threshold that is not a positive number, or an unknown feature.</exception>
    public static DriftOptions Parse(string? method, double? threshold, IReadOnlyList<string> featureMethods, IReadOnlyCollection<string> features)
    {
        ArgumentNullException.ThrowIfNull(featureMethods);
        ArgumentNullException.ThrowIfNull(features);
        DriftMethod? global = method is null ? null : ParseMethod(method, "--method");
        if (threshold is { } t)
        {
            CheckThreshold(t, "--threshold");
        }

        var overrides = new Dictionary<string, FeatureDriftOverride>(StringComparer.Ordinal);
        foreach (var text in featureMethods)
        {
            // FEATURE=METHOD[:THRESHOLD]; the feature name may itself hold '=' or ':', so split at the last '='.
            var equals = text.LastIndexOf('=');
            if (equals <= 0 || equals == text.Length - 1)
            {
                throw new CliException($"--feature-method '{text}' is not FEATURE=METHOD[:THRESHOLD].");
            }

            var feature = text[..equals];
            var spec = text[(equals + 1)..];
            if (!features.Contains(feature))
            {
                throw new CliException($"--feature-method: feature '{feature}' is not one of the model's features ({string.Join(", ", features)}).");
            }

            double? featureThreshold = null;
            var colon = spec.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                var number = spec[(colon + 1)..];
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                {
                    throw new CliException($"--feature-method '{text}': threshold '{number}' is not a number.");
                }

                CheckThreshold(parsed, $"--feature-method '{text}'");
                featureThreshold = parsed;
                spec = spec[..colon];
            }

            overrides[feature] = new FeatureDriftOverride(ParseMethod(spec, $"--feature-method '{text}'"), featureThreshold);
        }

        return new DriftOptions { Method = global, Threshold = threshold, Features = overrides };
    }

    private static DriftMethod ParseMethod(string name, string option) =>
        DriftMethods.TryParse(name, out var parsed)
            ? parsed
            : throw new CliException($"{option}: unknown drift method '{name}'; use one of {string.Join(", ", Enum.GetValues<DriftMethod>().Select(DriftMethods.Name))}.");

    private static void CheckThreshold(double value, string option)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new CliException($"{option}: threshold {value.ToString(CultureInfo.InvariantCulture)} must be a positive number.");
        }
    }
}
