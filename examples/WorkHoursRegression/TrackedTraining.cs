using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Mlflow.Client;
using Slipway.Packaging;

namespace WorkHoursRegression;

/// <summary>What one tracked training produced.</summary>
internal sealed record TrainingOutcome(string RunId, string ModelName, long Version, double TestRmse);

/// <summary>The training loop, tracked through <see cref="MlflowTrackingClient"/> and registered through <see cref="MlflowRegistryClient"/>.</summary>
internal static class TrackedTraining
{
    public const string ExperimentName = "work-hours";
    private const string Label = "hours-per-week";
    private const int Seed = 7;
    private const double TestFraction = 0.2;
    private const float L2 = 1e-4f;

    private static readonly string[] Categorical = ["workclass", "marital-status", "occupation", "relationship", "sex"];
    private static readonly string[] Numeric = ["age", "education-num"];

    // Column positions in the Adult file's header.
    private static readonly TextLoader.Column[] FeatureColumns =
    [
        new("age", DataKind.Single, 0),
        new("workclass", DataKind.String, 1),
        new("education-num", DataKind.Single, 4),
        new("marital-status", DataKind.String, 5),
        new("occupation", DataKind.String, 6),
        new("relationship", DataKind.String, 7),
        new("sex", DataKind.String, 9),
    ];

    public static async Task<TrainingOutcome> RunAsync(ExampleOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        using var tracking = new MlflowTrackingClient(options.TrackingUri);
        using var registry = new MlflowRegistryClient(options.TrackingUri);
        var experimentId = await EnsureExperimentAsync(tracking, cancellationToken);
        var run = await tracking.CreateRunAsync(
            experimentId, null, null, new Dictionary<string, string> { ["mlflow.source.name"] = "examples/WorkHoursRegression" }, cancellationToken);
        var runId = run.Info.RunId;
        await log.WriteLineAsync($"run {run.Info.RunName} ({runId}) in experiment {ExperimentName}");

        var work = Directory.CreateTempSubdirectory("work-hours-");
        try
        {
            double rmse;

            // RunLogger buffers metrics and sends them in batches; disposing it ends the run as FAILED unless we say otherwise.
            var logger = new RunLogger(tracking, runId, new RunLoggerOptions { EndStatusOnDispose = RunStatus.Failed });
            await using (logger)
            {
                rmse = await TrainAsync(options, logger, work.FullName, log, cancellationToken);

                // The model goes into the run as an MLflow model directory under model/.
                var package = await ModelPackager.CreateAsync(
                    Path.Combine(work.FullName, "model.zip"), Path.Combine(work.FullName, "package"), new PackageOptions(), TimeProvider.System, cancellationToken);
                foreach (var file in package.Files)
                {
                    await using var stream = File.OpenRead(Path.Combine(package.Directory, file));
                    await tracking.LogArtifactAsync(runId, "model/" + file, stream, cancellationToken);
                }

                await tracking.LogInputsAsync(runId, [await DatasetAsync(options.DataPath, cancellationToken)], cancellationToken);
                logger.EndStatus = RunStatus.Finished;
            }

            var version = await RegisterAsync(registry, options.ModelName, runId, rmse, cancellationToken);
            return new TrainingOutcome(runId, options.ModelName, version.Version, rmse);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<double> TrainAsync(ExampleOptions options, RunLogger logger, string directory, TextWriter log, CancellationToken cancellationToken)
    {
        var ml = new MLContext(seed: Seed);
        var loader = ml.Data.CreateTextLoader([.. FeatureColumns, new TextLoader.Column(Label, DataKind.Single, 12)], hasHeader: true, separatorChar: ',', trimWhitespace: true);
        var split = ml.Data.TrainTestSplit(loader.Load(options.DataPath), TestFraction, seed: Seed);

        logger.LogParam("trainer", "Sdca");
        logger.LogParam("epochs", options.Epochs.ToString(CultureInfo.InvariantCulture));
        logger.LogParam("l2", L2.ToString(CultureInfo.InvariantCulture));
        logger.LogParam("seed", Seed.ToString(CultureInfo.InvariantCulture));
        logger.LogParam("test_fraction", TestFraction.ToString(CultureInfo.InvariantCulture));
        logger.LogParam("features", string.Join(",", Numeric.Concat(Categorical)));

        // Featurize once and cache: every training below reads the same vectors.
        var featurizer = ml.Transforms.Categorical.OneHotEncoding([.. Categorical.Select(c => new InputOutputColumnPair(c + "_onehot", c))])
            .Append(ml.Transforms.Concatenate("Features", [.. Numeric, .. Categorical.Select(c => c + "_onehot")]))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Fit(split.TrainSet);
        var train = ml.Data.Cache(featurizer.Transform(split.TrainSet));
        var test = featurizer.Transform(split.TestSet);
        // SDCA has no warm start in ML.NET, so the learning curve retrains with 1, 2, ... passes over the data: each
        // point is the model a user would get when stopping after that many epochs (the data is small; this takes seconds).
        RegressionPredictionTransformer<LinearRegressionModelParameters>? model = null;
        var rmse = double.NaN;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var trainer = ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = Label,
                MaximumNumberOfIterations = epoch,
                L2Regularization = L2,
                ConvergenceTolerance = 1e-7f,
                NumberOfThreads = 1,
            });
            model = trainer.Fit(train);
            var metrics = ml.Regression.Evaluate(model.Transform(test), labelColumnName: Label);
            rmse = metrics.RootMeanSquaredError;
            logger.LogMetric("test_rmse", metrics.RootMeanSquaredError, epoch);
            logger.LogMetric("test_mae", metrics.MeanAbsoluteError, epoch);
            logger.LogMetric("test_r2", metrics.RSquared, epoch);
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}: test RMSE {metrics.RootMeanSquaredError:0.000}, R² {metrics.RSquared:0.000}"));
        }

        // Featurizer + regressor as one ML.NET model whose input is the feature columns only (no label at serving time).
        var pipeline = featurizer.Append(model!);
        var inputSchema = ml.Data.CreateTextLoader(FeatureColumns, hasHeader: true, separatorChar: ',').GetOutputSchema();
        ml.Model.Save(pipeline, inputSchema, Path.Combine(directory, "model.zip"));
        await logger.FlushAsync(cancellationToken);
        return rmse;
    }

    private static async Task<string> EnsureExperimentAsync(MlflowTrackingClient tracking, CancellationToken cancellationToken)
    {
        try
        {
            return (await tracking.GetExperimentByNameAsync(ExperimentName, cancellationToken)).ExperimentId;
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceDoesNotExist)
        {
            return await tracking.CreateExperimentAsync(ExperimentName, null, null, cancellationToken);
        }
    }

    private static async Task<DatasetInput> DatasetAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        var source = "{\"uri\":\"" + new Uri(Path.GetFullPath(path)).AbsoluteUri + "\"}";
        return new DatasetInput(new Dataset("adult", sha256[..16], "local", source, null, null), [new RunTag("mlflow.data.context", "training")]);
    }

    private static async Task<ModelVersion> RegisterAsync(MlflowRegistryClient registry, string name, string runId, double rmse, CancellationToken cancellationToken)
    {
        try
        {
            await registry.CreateRegisteredModelAsync(name, "Weekly working hours from census attributes (examples/WorkHoursRegression).", null, cancellationToken);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ResourceAlreadyExists)
        {
            // Registered by an earlier run of the example: add a version.
        }

        var tags = new Dictionary<string, string> { ["slipway.metric.test_rmse"] = rmse.ToString("R", CultureInfo.InvariantCulture) };
        return await registry.CreateModelVersionAsync(
            new NewModelVersion(name, $"runs:/{runId}/model", runId, string.Empty, "Linear regression (SDCA), tracked epoch by epoch.", string.Empty, tags),
            cancellationToken);
    }
}
