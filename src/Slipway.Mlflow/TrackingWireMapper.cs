using System.Globalization;
using Slipway.Core.Artifacts;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Mlflow.Contracts;
using Slipway.Mlflow.Contracts.Tracking;

namespace Slipway.Mlflow;

/// <summary>
/// Converts tracking records to MLflow's wire messages and back, as an MLflow server writes them: enum names in upper
/// case, lifecycle stages in lower case, 64-bit integers as JSON numbers, the run id as both <c>run_id</c> and
/// <c>run_uuid</c>, empty lists left out. Reading a request, a missing required field is a
/// <see cref="RegistryException"/> (invalid parameter) naming the field.
/// </summary>
public static class TrackingWireMapper
{
    /// <summary>MLflow's spelling of a run status, e.g. <c>RUNNING</c>.</summary>
    public static string ToWire(RunStatus status) => status switch
    {
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => "RUNNING",
    };

    /// <summary>
    /// Parses a run status: its name (<c>RUNNING</c>, <c>SCHEDULED</c>, <c>FINISHED</c>, <c>FAILED</c>,
    /// <c>KILLED</c>) or protobuf's number (1 to 5). Null stays null; anything else throws naming <paramref name="field"/>.
    /// </summary>
    public static RunStatus? ParseRunStatus(string? status, string field = "status") => status switch
    {
        null => null,
        "RUNNING" or "1" => RunStatus.Running,
        "SCHEDULED" or "2" => RunStatus.Scheduled,
        "FINISHED" or "3" => RunStatus.Finished,
        "FAILED" or "4" => RunStatus.Failed,
        "KILLED" or "5" => RunStatus.Killed,
        _ => throw RegistryException.Invalid(
            $"Invalid value '{status}' for parameter '{field}': expected one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED."),
    };

    /// <summary>MLflow's spelling of a lifecycle stage: <c>active</c> or <c>deleted</c>.</summary>
    public static string ToWire(LifecycleStage stage) => stage == LifecycleStage.Deleted ? "deleted" : "active";

    /// <summary>Parses a lifecycle stage; anything but <c>deleted</c> reads as active.</summary>
    public static LifecycleStage ParseLifecycleStage(string? stage) =>
        string.Equals(stage, "deleted", StringComparison.Ordinal) ? LifecycleStage.Deleted : LifecycleStage.Active;

    /// <summary>MLflow's spelling of a view type, e.g. <c>ACTIVE_ONLY</c>.</summary>
    public static string ToWire(ViewType viewType) => viewType switch
    {
        ViewType.DeletedOnly => "DELETED_ONLY",
        ViewType.All => "ALL",
        _ => "ACTIVE_ONLY",
    };

    /// <summary>
    /// Parses a view type: <c>ACTIVE_ONLY</c> (also when null or empty), <c>DELETED_ONLY</c>, <c>ALL</c>, or protobuf's
    /// number (1 to 3); anything else throws naming <paramref name="field"/>.
    /// </summary>
    public static ViewType ParseViewType(string? viewType, string field = "view_type") => viewType switch
    {
        null or "" or "ACTIVE_ONLY" or "1" => ViewType.ActiveOnly,
        "DELETED_ONLY" or "2" => ViewType.DeletedOnly,
        "ALL" or "3" => ViewType.All,
        _ => throw RegistryException.Invalid(
            $"Invalid value '{viewType}' for parameter '{field}': expected one of ACTIVE_ONLY, DELETED_ONLY, ALL."),
    };

    /// <summary>
    /// The run a request names: <c>run_id</c>, or the deprecated <c>run_uuid</c> when that is absent. Throws MLflow's
    /// missing-value error for <c>run_id</c> when neither is given.
    /// </summary>
    public static string RunIdOf(string? runId, string? runUuid)
    {
        var id = string.IsNullOrEmpty(runId) ? runUuid : runId;
        RegistryValidation.Required(id, "run_id");
        return id!;
    }

    /// <summary>
    /// A page size sent as a 64-bit number: the default when null, otherwise it must lie in 1..<paramref name="limit"/>.
    /// </summary>
    public static int MaxResults(long? maxResults, int defaultValue, int limit) =>
        maxResults is null
            ? defaultValue
            : maxResults is >= 1 && maxResults <= limit
                ? (int)maxResults.Value
                : throw RegistryException.Invalid($"Invalid value {maxResults} for parameter 'max_results': it must be between 1 and {limit}.");

    /// <summary>The wire form of an experiment.</summary>
    public static ExperimentMessage ToMessage(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return new ExperimentMessage
        {
            ExperimentId = experiment.ExperimentId,
            Name = experiment.Name,
            ArtifactLocation = experiment.ArtifactLocation,
            LifecycleStage = ToWire(experiment.LifecycleStage),
            LastUpdateTime = experiment.LastUpdateTime,
            CreationTime = experiment.CreationTime,
            Tags = WireMapper.ToMessages(experiment.Tags),
        };
    }

    /// <summary>An experiment from its wire form; missing optional fields become empty.</summary>
    public static Experiment ToExperiment(ExperimentMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Experiment(
            message.ExperimentId ?? string.Empty,
            message.Name ?? string.Empty,
            message.ArtifactLocation ?? string.Empty,
            ParseLifecycleStage(message.LifecycleStage),
            message.CreationTime ?? 0,
            message.LastUpdateTime ?? 0,
            WireMapper.ToDictionary(message.Tags));
    }

    /// <summary>The wire form of a run: info, data and inputs, the latter two always present (<c>{}</c> when empty).</summary>
    public static RunMessage ToMessage(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunMessage
        {
            Info = ToMessage(run.Info),
            Data = new RunDataMessage
            {
                Metrics = run.Data.Metrics.Count == 0 ? null : run.Data.Metrics.Select(ToMessage).ToArray(),
                Params = run.Data.Params.Count == 0 ? null : run.Data.Params.Select(p => new ParamMessage { Key = p.Key, Value = p.Value }).ToArray(),
                Tags = ToMessages(run.Data.Tags),
            },
            Inputs = new RunInputsMessage { DatasetInputs = run.Inputs.Count == 0 ? null : run.Inputs.Select(ToMessage).ToArray() },
        };
    }

    /// <summary>The wire form of a run's attributes; the id goes out as both <c>run_uuid</c> and <c>run_id</c>.</summary>
    public static RunInfoMessage ToMessage(RunInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new RunInfoMessage
        {
            RunUuid = info.RunId,
            ExperimentId = info.ExperimentId,
            RunName = info.RunName,
            UserId = info.UserId,
            Status = ToWire(info.Status),
            StartTime = info.StartTime,
            EndTime = info.EndTime,
            ArtifactUri = info.ArtifactUri,
            LifecycleStage = ToWire(info.LifecycleStage),
            RunId = info.RunId,
        };
    }

    /// <summary>The wire form of one metric value.</summary>
    public static MetricMessage ToMessage(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return new MetricMessage { Key = metric.Key, Value = metric.Value, Timestamp = metric.Timestamp, Step = metric.Step };
    }

    /// <summary>The wire form of a dataset input.</summary>
    public static DatasetInputMessage ToMessage(DatasetInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dataset = input.Dataset;
        return new DatasetInputMessage
        {
            Tags = ToMessages(input.Tags),
            Dataset = new DatasetMessage
            {
                Name = dataset.Name,
                Digest = dataset.Digest,
                SourceType = dataset.SourceType,
                Source = dataset.Source,
                Schema = dataset.Schema,
                Profile = dataset.Profile,
            },
        };
    }

    /// <summary>Tags in the given order, or null when there are none (MLflow leaves empty lists out).</summary>
    public static IReadOnlyList<TagMessage>? ToMessages(IReadOnlyList<RunTag>? tags) =>
        tags is null || tags.Count == 0 ? null : tags.Select(t => new TagMessage { Key = t.Key, Value = t.Value }).ToArray();

    /// <summary>The wire form of a run artifact listing.</summary>
    public static RunArtifactsResponse ToMessage(RunArtifacts artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        return new RunArtifactsResponse
        {
            RootUri = artifacts.RootUri,
            Files = artifacts.Files.Count == 0 ? null : artifacts.Files.Select(WireMapper.ToMessage).ToArray(),
            NextPageToken = artifacts.NextPageToken,
        };
    }

    /// <summary>A run from its wire form; missing optional parts become empty.</summary>
    public static Run ToRun(RunMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = message.Data;
        return new Run(
            ToRunInfo(message.Info ?? throw new InvalidDataException("A run on the wire lacks 'info'.")),
            new RunData(
                data?.Metrics?.Select(m => ToMetric(m, "metrics")).ToArray() ?? [],
                data?.Params?.Select(p => new Param(p.Key ?? string.Empty, p.Value ?? string.Empty)).ToArray() ?? [],
                data?.Tags?.Select(t => new RunTag(t.Key ?? string.Empty, t.Value ?? string.Empty)).ToArray() ?? []),
            message.Inputs?.DatasetInputs?.Select((d, i) => ToDatasetInput(d, $"dataset_inputs[{i}]")).ToArray() ?? []);
    }

    /// <summary>A run's attributes from their wire form; <c>run_id</c> or else <c>run_uuid</c> names the run.</summary>
    public static RunInfo ToRunInfo(RunInfoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new RunInfo(
            (string.IsNullOrEmpty(message.RunId) ? message.RunUuid : message.RunId) ?? string.Empty,
            message.ExperimentId ?? string.Empty,
            message.RunName ?? string.Empty,
            message.UserId ?? string.Empty,
            ParseRunStatus(message.Status) ?? RunStatus.Running,
            message.StartTime ?? 0,
            message.EndTime,
            message.ArtifactUri ?? string.Empty,
            ParseLifecycleStage(message.LifecycleStage));
    }

    /// <summary>
    /// A metric from a request: key, value and timestamp are required (named as <paramref name="field"/><c>.key</c>
    /// etc.); the step defaults to 0.
    /// </summary>
    public static Metric ToMetric(MetricMessage message, string field)
    {
        if (message is null)
        {
            throw RegistryException.Invalid($"Missing value for required parameter '{field}'.");
        }

        RegistryValidation.Required(message.Key, field + ".key");
        return new Metric(
            message.Key!,
            message.Value ?? throw Missing(field + ".value"),
            message.Timestamp ?? throw Missing(field + ".timestamp"),
            message.Step ?? 0);
    }

    /// <summary>Metrics of a batch, each checked as <see cref="ToMetric"/> does, named <c>metrics[i]</c>.</summary>
    public static IReadOnlyList<Metric> ToMetrics(IReadOnlyList<MetricMessage>? metrics)
    {
        if (metrics is null || metrics.Count == 0)
        {
            return [];
        }

        var result = new Metric[metrics.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ToMetric(metrics[i], string.Create(CultureInfo.InvariantCulture, $"metrics[{i}]"));
        }

        return result;
    }

    /// <summary>Params of a batch; key and value are required (named <c>params[i].key</c>, <c>params[i].value</c>).</summary>
    public static IReadOnlyList<Param> ToParams(IReadOnlyList<ParamMessage>? parameters)
    {
        if (parameters is null || parameters.Count == 0)
        {
            return [];
        }

        var result = new Param[parameters.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"params[{i}]");
            var param = parameters[i] ?? throw Missing(field);
            RegistryValidation.Required(param.Key, field + ".key");
            result[i] = new Param(param.Key!, param.Value ?? throw Missing(field + ".value"));
        }

        return result;
    }

    /// <summary>Run tags of a request in order; key and value are required (named <paramref name="field"/><c>[i].key</c>).</summary>
    public static IReadOnlyList<RunTag> ToRunTags(IReadOnlyList<TagMessage>? tags, string field = "tags")
    {
        if (tags is null || tags.Count == 0)
        {
            return [];
        }

        var result = new RunTag[tags.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var element = string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]");
            var tag = tags[i] ?? throw Missing(element);
            RegistryValidation.Required(tag.Key, element + ".key");
            result[i] = new RunTag(tag.Key!, tag.Value ?? throw Missing(element + ".value"));
        }

        return result;
    }

    /// <summary>A dataset input from a request: the dataset's name, digest, source type and source are required.</summary>
    public static DatasetInput ToDatasetInput(DatasetInputMessage message, string field)
    {
        if (message?.Dataset is not { } dataset)
        {
            throw Missing(field + ".dataset");
        }

        RegistryValidation.Required(dataset.Name, field + ".dataset.name");
        RegistryValidation.Required(dataset.Digest, field + ".dataset.digest");
        RegistryValidation.Required(dataset.SourceType, field + ".dataset.source_type");
        RegistryValidation.Required(dataset.Source, field + ".dataset.source");
        return new DatasetInput(
            new Dataset(dataset.Name!, dataset.Digest!, dataset.SourceType!, dataset.Source!, dataset.Schema, dataset.Profile),
            ToRunTags(message.Tags, field + ".tags"));
    }

    /// <summary>Dataset inputs of a <c>log-inputs</c> request, named <c>datasets[i]</c>.</summary>
    public static IReadOnlyList<DatasetInput> ToDatasetInputs(IReadOnlyList<DatasetInputMessage>? datasets) =>
        datasets is null ? [] : datasets.Select((d, i) => ToDatasetInput(d, string.Create(CultureInfo.InvariantCulture, $"datasets[{i}]"))).ToArray();

    /// <summary>A run artifact listing from its wire form.</summary>
    public static RunArtifacts ToRunArtifacts(RunArtifactsResponse message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new RunArtifacts(
            message.RootUri ?? string.Empty,
            message.Files?.Select(WireMapper.ToArtifactEntry).ToArray() ?? Array.Empty<ArtifactEntry>(),
            string.IsNullOrEmpty(message.NextPageToken) ? null : message.NextPageToken);
    }

    private static RegistryException Missing(string field) => RegistryException.Invalid($"Missing value for required parameter '{field}'.");
}
