using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Cli.Quickstart.Training;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;

namespace Slipway.Cli.Quickstart;

/// <summary>
/// Records the quickstart's training as an MLflow run: parameters, the held-out metrics after every boosting iteration
/// (with <c>step</c> = number of trees), the final metrics, the dataset as a run input and the model as run artifacts.
/// </summary>
public static class TrainingRunRecorder
{
    /// <summary>The experiment the quickstart's runs go to.</summary>
    public const string ExperimentName = "quickstart";

    /// <summary>Where the model directory lies among the run's artifacts (the <c>runs:/RUN_ID/model</c> of the registration).</summary>
    public const string ModelArtifactPath = "model";

    /// <summary>The dataset name of the Adult data as a run input.</summary>
    public const string DatasetName = "adult";

    /// <summary>Length of the dataset digest: the first 16 hex characters of its SHA-256 (MLflow allows 36 at most).</summary>
    public const int DigestLength = 16;

    /// <summary>The id of the <see cref="ExperimentName"/> experiment, created (or restored) when needed.</summary>
    public static async Task<string> EnsureExperimentAsync(IExperimentTracker tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        try
        {
            var existing = await tracker.GetExperimentByNameAsync(ExperimentName, cancellationToken).ConfigureAwait(false);
            if (existing.LifecycleStage == LifecycleStage.Deleted)
            {
                // Deleted experiments keep their names: bring it back rather than fail on a name nobody can reuse.
                await tracker.RestoreExperimentAsync(existing.ExperimentId, cancellationToken).ConfigureAwait(false);
            }

            return existing.ExperimentId;
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceDoesNotExist)
        {
            try
            {
                return await tracker.CreateExperimentAsync(
                    ExperimentName, null, new Dictionary<string, string> { ["mlflow.note.content"] = "Runs of slipway quickstart." }, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException race) when (race.Code == RegistryErrorCode.ResourceAlreadyExists)
            {
                // Another quickstart created it in between.
                return (await tracker.GetExperimentByNameAsync(ExperimentName, cancellationToken).ConfigureAwait(false)).ExperimentId;
            }
        }
    }

    /// <summary>Starts a run in the quickstart experiment, tagged with where it came from, started at <paramref name="startTime"/> (Unix milliseconds).</summary>
    public static Task<Run> StartAsync(IExperimentTracker tracker, string experimentId, long startTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mlflow.source.type"] = "LOCAL",
            ["mlflow.source.name"] = "slipway quickstart",
        };
        return tracker.CreateRunAsync(experimentId, null, startTime, tags, cancellationToken);
    }

    /// <summary>
    /// Logs the training's parameters (plus <c>data_sha256</c>), the per-iteration curve as <c>test_log_loss</c>,
    /// <c>test_auc</c> and <c>test_accuracy</c> at steps 1..trees, the final metrics (step 0) and the dataset input.
    /// </summary>
    public static async Task LogTrainingAsync(
        IExperimentTracker tracker, string runId, TrainingResult training, string dataPath, string dataSha256, long dataRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(training);
        var logger = new RunLogger(tracker, runId);
        await using (logger.ConfigureAwait(false))
        {
            foreach (var (key, value) in training.Params.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                logger.LogParam(key, value);
            }

            logger.LogParam("data_sha256", dataSha256);
            foreach (var point in training.Iterations)
            {
                logger.LogMetric("test_log_loss", point.LogLoss, point.Trees);
                logger.LogMetric("test_auc", point.Auc, point.Trees);
                logger.LogMetric("test_accuracy", point.Accuracy, point.Trees);
            }

            foreach (var (key, value) in training.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                logger.LogMetric(key, value);
            }

            await logger.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await tracker.LogInputsAsync(runId, [Dataset(dataPath, dataSha256, dataRows)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads every file of the MLflow model directory <paramref name="modelDirectory"/> under <see cref="ModelArtifactPath"/>.</summary>
    public static async Task LogModelAsync(IExperimentTracker tracker, string runId, string modelDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var files = Directory.EnumerateFiles(modelDirectory, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(modelDirectory, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (full, relative) in files)
        {
            var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await tracker.LogArtifactAsync(runId, ModelArtifactPath + "/" + relative, stream, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The Adult data as an MLflow dataset input used for training (<c>mlflow.data.context</c> = <c>training</c>).</summary>
    public static DatasetInput Dataset(string dataPath, string dataSha256, long rows)
    {
        ArgumentNullException.ThrowIfNull(dataSha256);
        var source = new JsonObject { ["uri"] = new Uri(Path.GetFullPath(dataPath)).AbsoluteUri };
        var columns = new JsonArray();
        foreach (var column in AdultIncomeTrainer.FeatureColumns.Append(AdultIncomeTrainer.LabelColumn))
        {
            var isNumber = AdultIncomeTrainer.NumericColumns.Contains(column);
            columns.Add(new JsonObject { ["name"] = column, ["type"] = isNumber ? "float" : "string" });
        }

        var schema = new JsonObject { ["mlflow_colspec"] = columns };
        var profile = new JsonObject { ["num_rows"] = rows };
        return new DatasetInput(
            new Dataset(DatasetName, dataSha256[..Math.Min(DigestLength, dataSha256.Length)], "local", source.ToJsonString(), schema.ToJsonString(), profile.ToJsonString()),
            [new RunTag("mlflow.data.context", "training")]);
    }

    /// <summary>Ends the run with <paramref name="status"/> at the current time.</summary>
    public static Task FinishAsync(IExperimentTracker tracker, string runId, RunStatus status, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(time);
        return tracker.UpdateRunAsync(runId, status, time.GetUtcNow().ToUnixTimeMilliseconds(), null, cancellationToken);
    }

    /// <summary>The <c>runs:/</c> URI of the model logged to <paramref name="runId"/>.</summary>
    public static string ModelUri(string runId) => string.Create(CultureInfo.InvariantCulture, $"runs:/{runId}/{ModelArtifactPath}");
}
