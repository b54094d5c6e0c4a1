using System.Text.Json;
using Slipway.Core.Statistics.Drift;

namespace Slipway.Monitoring.Reports;

/// <summary>
/// Writes a <see cref="DriftReport"/> as JSON in one stable, snake_case shape shared by <c>slipway drift --format json</c>
/// and the server's drift API:
/// <code>
/// {
///   "model": "iris", "version": 3,                     // from the context; null when unknown
///   "reference": { "source": "registry", "rows": 150 },
///   "current": { "source": "current.csv", "rows": 40, "window": null },
///   "generated_at": "2024-05-01T12:00:00+00:00",       // null when unknown
///   "dataset_drift": true, "drifted_features": 3, "feature_count": 4,
///   "share": 0.75,                                    // drifted features / features
///   "drift_share": 0.5,                               // the dataset-drift threshold on share
///   "features": [                                     // most drifted first
///     { "feature": "petal_length", "kind": "numeric", "method": "ks", "score": 1.2e-9, "threshold": 0.05,
///       "score_kind": "p_value", "drifted": true, "reference_count": 150, "current_count": 40,
///       "histogram": { "bins": ["[1, 2)", …], "reference": [0.33, …], "current": [0.0, …] } } ]
/// }
/// </code>
/// Method names are Evidently's (<c>ks</c>, <c>chisquare</c>, <c>z</c>, <c>wasserstein</c>, <c>jensenshannon</c>,
/// <c>psi</c>); kinds are <c>numeric</c> or <c>categorical</c>; histogram values are fractions of each side's
/// non-missing values. Scores and fractions that are NaN or infinite are written as null.
/// </summary>
public static class DriftReportJson
{
    /// <summary>Writes <paramref name="report"/> as one JSON object.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="report">The report.</param>
    /// <param name="context">What the report is about; null leaves those members null.</param>
    public static void Write(Utf8JsonWriter writer, DriftReport report, DriftReportContext? context)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);

        writer.WriteStartObject();
        WriteStringOrNull(writer, "model", context?.Model);
        if (context?.Version is { } version)
        {
            writer.WriteNumber("version", version);
        }
        else
        {
            writer.WriteNull("version");
        }

        writer.WriteStartObject("reference");
        WriteStringOrNull(writer, "source", context?.ReferenceSource);
        writer.WriteNumber("rows", report.ReferenceRows);
        writer.WriteEndObject();

        writer.WriteStartObject("current");
        WriteStringOrNull(writer, "source", context?.CurrentSource);
        writer.WriteNumber("rows", report.CurrentRows);
        WriteStringOrNull(writer, "window", context?.Window);
        writer.WriteEndObject();

        if (context?.GeneratedAt is { } generatedAt)
        {
            writer.WriteString("generated_at", generatedAt.ToUniversalTime());
        }
        else
        {
            writer.WriteNull("generated_at");
        }

        writer.WriteBoolean("dataset_drift", report.DatasetDrift);
        writer.WriteNumber("drifted_features", report.DriftedFeatures);
        writer.WriteNumber("feature_count", report.Features.Count);
        WriteNumberOrNull(writer, "share", report.DriftedShare);
        WriteNumberOrNull(writer, "drift_share", report.DriftShare);

        writer.WriteStartArray("features");
        foreach (var feature in report.Features)
        {
            WriteFeature(writer, feature);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The report as an indented JSON string.</summary>
    public static string ToJson(DriftReport report, DriftReportContext? context)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, report, context);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The name a kind has in reports: <c>numeric</c> or <c>categorical</c>.</summary>
    public static string KindName(FeatureKind kind) => kind == FeatureKind.Numeric ? "numeric" : "categorical";

    private static void WriteFeature(Utf8JsonWriter writer, FeatureDrift feature)
    {
        writer.WriteStartObject();
        writer.WriteString("feature", feature.Feature);
        writer.WriteString("kind", KindName(feature.Kind));
        writer.WriteString("method", DriftMethods.Name(feature.Method));
        WriteNumberOrNull(writer, "score", feature.Score);
        WriteNumberOrNull(writer, "threshold", feature.Threshold);
        writer.WriteString("score_kind", DriftMethods.IsPValue(feature.Method) ? "p_value" : "distance");
        writer.WriteBoolean("drifted", feature.Drifted);
        writer.WriteNumber("reference_count", feature.ReferenceCount);
        writer.WriteNumber("current_count", feature.CurrentCount);

        writer.WriteStartObject("histogram");
        writer.WriteStartArray("bins");
        foreach (var bin in feature.Histogram.Bins)
        {
            writer.WriteStringValue(bin);
        }

        writer.WriteEndArray();
        WriteFractions(writer, "reference", feature.Histogram.Reference);
        WriteFractions(writer, "current", feature.Histogram.Current);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteFractions(Utf8JsonWriter writer, string name, IReadOnlyList<double> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }

    // JSON has no NaN or infinity: a score that is not a number (an empty side) is written as null.
    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
