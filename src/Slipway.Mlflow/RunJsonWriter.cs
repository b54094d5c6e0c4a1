using System.Text.Json;
using Slipway.Core.Tracking;

namespace Slipway.Mlflow;

/// <summary>
/// Writes runs as MLflow JSON straight from the Core records, byte for byte what serializing
/// <see cref="TrackingWireMapper.ToMessage(Run)"/> with <see cref="MlflowJsonContext"/> writes (same field order,
/// empty lists left out, NaN and ±Infinity as strings). Run search answers carry thousands of metrics and params;
/// skipping the intermediate wire messages saves their allocation and the serializer's per-property dispatch.
/// </summary>
public static class RunJsonWriter
{
    private static readonly JsonEncodedText RunsName = JsonEncodedText.Encode("runs");
    private static readonly JsonEncodedText NextPageTokenName = JsonEncodedText.Encode("next_page_token");
    private static readonly JsonEncodedText InfoName = JsonEncodedText.Encode("info");
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText InputsName = JsonEncodedText.Encode("inputs");
    private static readonly JsonEncodedText RunUuidName = JsonEncodedText.Encode("run_uuid");
    private static readonly JsonEncodedText ExperimentIdName = JsonEncodedText.Encode("experiment_id");
    private static readonly JsonEncodedText RunNameName = JsonEncodedText.Encode("run_name");
    private static readonly JsonEncodedText UserIdName = JsonEncodedText.Encode("user_id");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText StartTimeName = JsonEncodedText.Encode("start_time");
    private static readonly JsonEncodedText EndTimeName = JsonEncodedText.Encode("end_time");
    private static readonly JsonEncodedText ArtifactUriName = JsonEncodedText.Encode("artifact_uri");
    private static readonly JsonEncodedText LifecycleStageName = JsonEncodedText.Encode("lifecycle_stage");
    private static readonly JsonEncodedText RunIdName = JsonEncodedText.Encode("run_id");
    private static readonly JsonEncodedText MetricsName = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText ParamsName = JsonEncodedText.Encode("params");
    private static readonly JsonEncodedText TagsName = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText StepName = JsonEncodedText.Encode("step");
    private static readonly JsonEncodedText DatasetInputsName = JsonEncodedText.Encode("dataset_inputs");
    private static readonly JsonEncodedText DatasetName = JsonEncodedText.Encode("dataset");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText DigestName = JsonEncodedText.Encode("digest");
    private static readonly JsonEncodedText SourceTypeName = JsonEncodedText.Encode("source_type");
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText SchemaName = JsonEncodedText.Encode("schema");
    private static readonly JsonEncodedText ProfileName = JsonEncodedText.Encode("profile");

    /// <summary>
    /// Writes the start of a <c>runs/search</c> answer: <c>{</c>, then <c>"runs":[</c> when <paramref name="hasRuns"/>
    /// (MLflow leaves an empty list out). Follow with <see cref="WriteRun"/> per run and <see cref="WriteSearchEnd"/>.
    /// </summary>
    public static void WriteSearchStart(Utf8JsonWriter writer, bool hasRuns)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (hasRuns)
        {
            writer.WriteStartArray(RunsName);
        }
    }

    /// <summary>Closes what <see cref="WriteSearchStart"/> opened and writes <c>next_page_token</c> unless it is null.</summary>
    public static void WriteSearchEnd(Utf8JsonWriter writer, bool hasRuns, string? nextPageToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (hasRuns)
        {
            writer.WriteEndArray();
        }

        if (nextPageToken is not null)
        {
            writer.WriteString(NextPageTokenName, nextPageToken);
        }

        writer.WriteEndObject();
    }

    /// <summary>One run as a JSON object: info, data and inputs, the latter two always present (<c>{}</c> when empty).</summary>
    public static void WriteRun(Utf8JsonWriter writer, Run run)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(run);
        writer.WriteStartObject();
        WriteInfo(writer, run.Info);
        writer.WriteStartObject(DataName);
        WriteMetrics(writer, run.Data.Metrics);
        WriteParams(writer, run.Data.Params);
        WriteTags(writer, run.Data.Tags);
        writer.WriteEndObject();
        writer.WriteStartObject(InputsName);
        WriteInputs(writer, run.Inputs);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteInfo(Utf8JsonWriter writer, RunInfo info)
    {
        writer.WriteStartObject(InfoName);
        writer.WriteString(RunUuidName, info.RunId);
        writer.WriteString(ExperimentIdName, info.ExperimentId);
        writer.WriteString(RunNameName, info.RunName);
        writer.WriteString(UserIdName, info.UserId);
        writer.WriteString(StatusName, TrackingWireMapper.ToWire(info.Status));
        writer.WriteNumber(StartTimeName, info.StartTime);
        if (info.EndTime is { } endTime)
        {
            writer.WriteNumber(EndTimeName, endTime);
        }

        writer.WriteString(ArtifactUriName, info.ArtifactUri);
        writer.WriteString(LifecycleStageName, TrackingWireMapper.ToWire(info.LifecycleStage));
        writer.WriteString(RunIdName, info.RunId);
        writer.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter writer, IReadOnlyList<Metric> metrics)
    {
        if (metrics.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(MetricsName);
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            writer.WriteStartObject();
            writer.WriteString(KeyName, metric.Key);
            WriteMetricValue(writer, metric.Value);
            writer.WriteNumber(TimestampName, metric.Timestamp);
            writer.WriteNumber(StepName, metric.Step);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>JSON numbers cannot be NaN or infinite; those travel as protobuf's JSON spells them.</summary>
    private static void WriteMetricValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(ValueName, value);
        }
        else
        {
            writer.WriteString(ValueName, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteParams(Utf8JsonWriter writer, IReadOnlyList<Param> parameters)
    {
        if (parameters.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(ParamsName);
        for (var i = 0; i < parameters.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteString(KeyName, parameters[i].Key);
            writer.WriteString(ValueName, parameters[i].Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteTags(Utf8JsonWriter writer, IReadOnlyList<RunTag> tags)
    {
        if (tags.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(TagsName);
        for (var i = 0; i < tags.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteString(KeyName, tags[i].Key);
            writer.WriteString(ValueName, tags[i].Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteInputs(Utf8JsonWriter writer, IReadOnlyList<DatasetInput> inputs)
    {
        if (inputs.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(DatasetInputsName);
        foreach (var input in inputs)
        {
            writer.WriteStartObject();
            WriteTags(writer, input.Tags);
            var dataset = input.Dataset;
            writer.WriteStartObject(DatasetName);
            writer.WriteString(NameName, dataset.Name);
            writer.WriteString(DigestName, dataset.Digest);
            writer.WriteString(SourceTypeName, dataset.SourceType);
            writer.WriteString(SourceName, dataset.Source);
            if (dataset.Schema is not null)
            {
                writer.WriteString(SchemaName, dataset.Schema);
            }

            if (dataset.Profile is not null)
            {
                writer.WriteString(ProfileName, dataset.Profile);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
