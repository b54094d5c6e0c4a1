using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Slipway.Core.Registry;

namespace Slipway.Core.Tracking;

/// <summary>
/// Field rules of experiment tracking, with MLflow's limits and error messages. Every failure is a
/// <see cref="RegistryException"/> with <see cref="RegistryErrorCode.InvalidParameterValue"/> that names the field
/// (for batches, with its index, e.g. <c>params[3].key</c>).
/// </summary>
public static partial class TrackingValidation
{
    /// <summary>Longest metric, param or run tag key, in characters.</summary>
    public const int MaxEntityKeyLength = 250;

    /// <summary>Longest param value, in characters.</summary>
    public const int MaxParamValueLength = 6000;

    /// <summary>Longest run tag value, in characters.</summary>
    public const int MaxTagValueLength = 8000;

    /// <summary>Longest experiment name, in characters.</summary>
    public const int MaxExperimentNameLength = 500;

    /// <summary>Longest experiment tag key, in characters.</summary>
    public const int MaxExperimentTagKeyLength = 250;

    /// <summary>Longest experiment tag value, in characters.</summary>
    public const int MaxExperimentTagValueLength = 5000;

    /// <summary>Most metrics in one log-batch request.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>Most params, and separately most tags, in one log-batch request.</summary>
    public const int MaxParamsTagsPerBatch = 100;

    /// <summary>Most metrics, params and tags together in one log-batch request.</summary>
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>Most datasets in one log-inputs request.</summary>
    public const int MaxDatasetsPerBatch = 1000;

    /// <summary>Longest dataset name, in characters.</summary>
    public const int MaxDatasetNameLength = 500;

    /// <summary>Longest dataset digest, in characters.</summary>
    public const int MaxDatasetDigestLength = 36;

    /// <summary>Longest dataset source, in characters.</summary>
    public const int MaxDatasetSourceLength = 65535;

    /// <summary>Longest dataset schema, in characters.</summary>
    public const int MaxDatasetSchemaLength = 1048575;

    /// <summary>Longest dataset profile, in characters.</summary>
    public const int MaxDatasetProfileLength = 16777215;

    /// <summary>Longest dataset input tag key, in characters.</summary>
    public const int MaxInputTagKeyLength = 255;

    /// <summary>Longest dataset input tag value, in characters.</summary>
    public const int MaxInputTagValueLength = 500;

    private const string BadCharactersMessage =
        "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).";

    /// <summary>Checks a metric key (MLflow's allowed characters, no path tricks, at most 250 characters).</summary>
    /// <param name="key">The key.</param>
    /// <param name="path">The field name used in messages, e.g. <c>key</c> or <c>metrics[0].key</c>.</param>
    public static void MetricKey(string? key, string path = "key") => EntityKey(key, path, "Metric name");

    /// <summary>Checks a param key and value (value at most 6,000 characters).</summary>
    public static void Param(string? key, string? value, string prefix = "")
    {
        EntityKey(key, Join(prefix, "key"), "Param key");
        if (value is null)
        {
            throw RegistryException.Invalid(MissingValue(Join(prefix, "value")));
        }

        Length("Param value", MaxParamValueLength, value);
    }

    /// <summary>Checks a run tag key and value (value at most 8,000 characters).</summary>
    public static void RunTag(string? key, string? value, string prefix = "")
    {
        EntityKey(key, Join(prefix, "key"), Join(prefix, "key"));
        if (value is null)
        {
            throw RegistryException.Invalid(MissingValue(Join(prefix, "value")));
        }

        Length(Join(prefix, "value"), MaxTagValueLength, value);
    }

    /// <summary>Checks a metric: key rules, a timestamp of 0 or more (milliseconds since the Unix epoch).</summary>
    public static void Metric(Metric? metric, string prefix = "")
    {
        if (metric is null)
        {
            throw RegistryException.Invalid(MissingValue(prefix.Length == 0 ? "metric" : prefix));
        }

        MetricKey(metric.Key, Join(prefix, "key"));
        if (metric.Timestamp < 0)
        {
            throw RegistryException.Invalid(InvalidValue(
                Join(prefix, "timestamp"),
                metric.Timestamp.ToString(CultureInfo.InvariantCulture),
                $"metric '{metric.Key}' (value={Number(metric.Value)}). Timestamp must be a nonnegative long (64-bit integer) "));
        }
    }

    /// <summary>Checks an experiment name: present and at most 500 characters.</summary>
    public static string ExperimentName(string? name, string field = "name")
    {
        if (string.IsNullOrEmpty(name))
        {
            throw RegistryException.Invalid($"Invalid experiment name: '{name}'");
        }

        return name.Length <= MaxExperimentNameLength
            ? name
            : throw RegistryException.Invalid(ExceedsMaximumLength(field, MaxExperimentNameLength));
    }

    /// <summary>Checks an experiment tag: key rules, key at most 250 and value at most 5,000 characters.</summary>
    public static void ExperimentTag(string? key, string? value)
    {
        EntityKey(key, "key", "key");
        if (value is null)
        {
            throw RegistryException.Invalid(MissingValue("value"));
        }

        Length("value", MaxExperimentTagValueLength, value);
    }

    /// <summary>Checks an experiment artifact location: it may not be a <c>runs:/</c> URI.</summary>
    public static void ArtifactLocation(string? location)
    {
        if (location is not null && location.StartsWith("runs:", StringComparison.Ordinal))
        {
            throw RegistryException.Invalid($"Artifact location cannot be a runs:/ URI. Given: '{location}'");
        }
    }

    /// <summary>Checks a run id as MLflow does: an alphanumeric, then up to 255 alphanumerics, '_' or '-'.</summary>
    public static string RunId(string? runId, string field = "run_id")
    {
        if (string.IsNullOrEmpty(runId))
        {
            throw RegistryException.Invalid(MissingValue(field));
        }

        return RunIdPattern().IsMatch(runId) ? runId : throw RegistryException.Invalid(InvalidValue(field, Json(runId), null));
    }

    /// <summary>Checks an experiment id: a decimal number (ids are assigned by the store; <c>0</c> is Default).</summary>
    public static string ExperimentId(string? experimentId, string field = "experiment_id")
    {
        if (string.IsNullOrEmpty(experimentId))
        {
            throw RegistryException.Invalid(MissingValue(field));
        }

        return experimentId.Length <= 18 && experimentId.All(char.IsAsciiDigit)
            ? experimentId
            : throw RegistryException.Invalid($"Invalid experiment ID: '{experimentId}'");
    }

    /// <summary>Checks a view type value.</summary>
    public static ViewType ViewType(ViewType viewType) =>
        Enum.IsDefined(viewType) ? viewType : throw RegistryException.Invalid(InvalidValue("view_type", ((int)viewType).ToString(CultureInfo.InvariantCulture), null));

    /// <summary>Checks a search page size: 1 to <paramref name="limit"/>.</summary>
    public static int MaxResults(int maxResults, int limit, string field = "max_results")
    {
        if (maxResults > limit)
        {
            throw RegistryException.Invalid(FormattableString.Invariant(
                $"Invalid value for request parameter {field}. It must be at most {limit}, but got value {maxResults}"));
        }

        return maxResults >= 1
            ? maxResults
            : throw RegistryException.Invalid(FormattableString.Invariant(
                $"Invalid value for request parameter {field}. It must be at least 1, but got value {maxResults}"));
    }

    /// <summary>
    /// Checks a log-batch request: at most 1,000 metrics, 100 params, 100 tags and 1,000 items in all; every item's
    /// fields; and no param key twice with different values.
    /// </summary>
    public static void Batch(IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        BatchLimit("metrics", MaxMetricsPerBatch, metrics.Count);
        BatchLimit("params", MaxParamsTagsPerBatch, parameters.Count);
        BatchLimit("tags", MaxParamsTagsPerBatch, tags.Count);
        BatchLimit("metrics, params, and tags", MaxEntitiesPerBatch, metrics.Count + parameters.Count + tags.Count);
        for (var i = 0; i < metrics.Count; i++)
        {
            Metric(metrics[i], $"metrics[{i}]");
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i] is null)
            {
                throw RegistryException.Invalid(MissingValue($"params[{i}]"));
            }

            Param(parameters[i].Key, parameters[i].Value, $"params[{i}]");
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i] is null)
            {
                throw RegistryException.Invalid(MissingValue($"tags[{i}]"));
            }

            RunTag(tags[i].Key, tags[i].Value, $"tags[{i}]");
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var conflicting = new List<string>();
        foreach (var param in parameters)
        {
            if (seen.TryGetValue(param.Key, out var earlier))
            {
                if (!string.Equals(earlier, param.Value, StringComparison.Ordinal) && !conflicting.Contains(param.Key))
                {
                    conflicting.Add(param.Key);
                }
            }
            else
            {
                seen.Add(param.Key, param.Value);
            }
        }

        if (conflicting.Count > 0)
        {
            throw RegistryException.Invalid(
                $"Duplicate parameter keys have been submitted: [{string.Join(", ", conflicting.Select(k => "'" + k + "'"))}]. Please ensure the request contains only one param value per param key.");
        }
    }

    /// <summary>Checks datasets to log as run inputs, with MLflow's size limits.</summary>
    public static void DatasetInputs(IReadOnlyList<DatasetInput>? datasets)
    {
        if (datasets is null)
        {
            throw RegistryException.Invalid(MissingValue("datasets"));
        }

        BatchLimit("datasets", MaxDatasetsPerBatch, datasets.Count);
        foreach (var input in datasets)
        {
            var dataset = input?.Dataset ?? throw RegistryException.Invalid("Dataset cannot be None");
            RequiredDatasetField(dataset.Name, "name");
            RequiredDatasetField(dataset.Digest, "digest");
            RequiredDatasetField(dataset.SourceType, "source_type");
            RequiredDatasetField(dataset.Source, "source");
            Length("name", MaxDatasetNameLength, dataset.Name);
            Length("digest", MaxDatasetDigestLength, dataset.Digest);
            Length("source", MaxDatasetSourceLength, dataset.Source);
            Length("schema", MaxDatasetSchemaLength, dataset.Schema);
            Length("profile", MaxDatasetProfileLength, dataset.Profile);
            foreach (var tag in input.Tags ?? [])
            {
                if (tag?.Key is null)
                {
                    throw RegistryException.Invalid("InputTag key cannot be None");
                }

                if (tag.Value is null)
                {
                    throw RegistryException.Invalid("InputTag value cannot be None");
                }

                Length("key", MaxInputTagKeyLength, tag.Key);
                Length("value", MaxInputTagValueLength, tag.Value);
            }
        }
    }

    /// <summary>MLflow's "missing value" message.</summary>
    public static string MissingValue(string path) => $"Missing value for required parameter '{path}'.";

    /// <summary>MLflow's "exceeds the maximum length" message.</summary>
    public static string ExceedsMaximumLength(string path, int limit) =>
        FormattableString.Invariant($"'{path}' exceeds the maximum length of {limit} characters");

    private static void EntityKey(string? key, string path, string lengthName)
    {
        if (key is null)
        {
            throw RegistryException.Invalid(MissingValue(path));
        }

        if (!KeyPattern().IsMatch(key))
        {
            throw RegistryException.Invalid(InvalidValue(path, Json(key), BadCharactersMessage));
        }

        if (PathNotUnique(key))
        {
            throw RegistryException.Invalid(InvalidValue(
                path,
                Json(key),
                $"Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '{NormalizePosix(key)}'"));
        }

        Length(lengthName, MaxEntityKeyLength, key);
    }

    private static void Length(string name, int limit, string? value)
    {
        if (value is not null && value.Length > limit)
        {
            throw RegistryException.Invalid(ExceedsMaximumLength(name, limit));
        }
    }

    private static void RequiredDatasetField(string? value, string field)
    {
        if (value is null)
        {
            throw RegistryException.Invalid($"Dataset {field} cannot be None");
        }
    }

    private static void BatchLimit(string entityName, int limit, int length)
    {
        if (length > limit)
        {
            throw RegistryException.Invalid(FormattableString.Invariant(
                $"A batch logging request can contain at most {limit} {entityName}. Got {length} {entityName}. Please split up {entityName} across multiple requests and try again."));
        }
    }

    private static string Join(string prefix, string field) => prefix.Length == 0 ? field : prefix + "." + field;

    private static string InvalidValue(string path, string formattedValue, string? message) =>
        message is null
            ? $"Invalid value {formattedValue} for parameter '{path}' supplied."
            : $"Invalid value {formattedValue} for parameter '{path}' supplied: {message}";

    private static string Number(double value) =>
        double.IsNaN(value) ? "nan" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A key "resolves to another name" when POSIX normalization changes it, or it is '.', '..'-led or absolute.</summary>
    private static bool PathNotUnique(string name)
    {
        var normalized = NormalizePosix(name);
        return normalized != name || normalized == "." || normalized.StartsWith("..", StringComparison.Ordinal) || normalized.StartsWith('/');
    }

    /// <summary>POSIX path normalization (collapse '//' and '.', resolve '..'), as Python's posixpath.normpath.</summary>
    private static string NormalizePosix(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var absolute = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && ((!absolute && parts.Count == 0) || (parts.Count > 0 && parts[^1] == "..")))
            {
                parts.Add(part);
            }
            else if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else
            {
                parts.Add(part);
            }
        }

        var joined = string.Join('/', parts);
        var result = absolute ? "/" + joined : joined;
        return result.Length == 0 ? "." : result;
    }

    /// <summary>A JSON string literal as Python's json.dumps writes it (non-ASCII escaped).</summary>
    private static string Json(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (ch < 0x20 || ch > 0x7e)
                    {
                        builder.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(ch);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    // \w in .NET includes more than Python's Unicode \w only in corner cases (connector punctuation); close enough and
    // never wider than what the stores accept.
    [GeneratedRegex(@"^[/\w.\- :]*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9][\w\-]{0,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex RunIdPattern();
}
