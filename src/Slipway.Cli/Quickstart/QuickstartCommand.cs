using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Connection;
using Slipway.Cli.Deployment;
using Slipway.Cli.Lineage;
using Slipway.Cli.Output;
using Slipway.Cli.Quickstart.Training;
using Slipway.Cli.Registration;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Mlflow.Client;
using Slipway.Packaging;
using Slipway.Server;
using Slipway.Server.Monitoring;
using Slipway.Serving.Hosting;
using Spectre.Console;

namespace Slipway.Cli.Quickstart;

/// <summary>
/// <c>slipway quickstart [--dir DIR]</c>: the end-to-end demo. Trains an income classifier on the shipped Adult data,
/// logs the training as a run of the <c>quickstart</c> experiment (params, per-iteration metrics, dataset, model),
/// registers the version from <c>runs:/RUN_ID/model</c> with metrics and lineage, points <c>champion</c> at it,
/// then proves the round trip through a temporary server on a free port. Each run adds a new version.
/// </summary>
public static class QuickstartCommand
{
    /// <summary>The registered model's name.</summary>
    public const string ModelName = "adult-income";

    /// <summary>The alias the quickstart moves.</summary>
    public const string Alias = "champion";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var dir = new Option<string?>("--dir") { HelpName = "dir", Description = "Embedded registry directory (default: --registry when local, else ./.slipway)" };
        var command = new Command("quickstart", "Train (tracked as a run), register, alias and fetch back a model: the whole loop in one go") { dir };
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(dir) ?? ServerCommandDirectory(context));
            var view = await RunAsync(context, directory, cancellationToken).ConfigureAwait(false);
            context.WriteResult(view, CliJsonContext.Default.QuickstartView, Render);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Where the shipped Adult dataset lies next to the executable.</summary>
    public static string DatasetPath => Path.Combine(AppContext.BaseDirectory, "data", "adult", "adult.data");

    private static string ServerCommandDirectory(CliContext context) =>
        context.RegistryOption is { } option && RegistryAddress.Parse(option).Directory is { } local
            ? local
            : RegistryAddress.DefaultDirectory;

    private static async Task<QuickstartView> RunAsync(CliContext context, string directory, CancellationToken cancellationToken)
    {
        if (!File.Exists(DatasetPath))
        {
            throw new CliException($"the Adult dataset is missing next to the executable ('{DatasetPath}'); reinstall slipway.");
        }

        Directory.CreateDirectory(directory);
        var work = Path.Combine(Path.GetTempPath(), "slipway-quickstart-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The run starts when training does, so its duration is the training's, not just the logging's.
            var trainingStarted = context.Time.GetUtcNow().ToUnixTimeMilliseconds();
            context.Note("[bold]1/7[/] training an income classifier on the UCI Adult data (ML.NET) ...");
            var training = await AdultIncomeTrainer.TrainAsync(
                DatasetPath, work, new NoteProgress(context), cancellationToken).ConfigureAwait(false);
            var (dataSha256, _) = await ContentHasher.HashFileAsync(DatasetPath, cancellationToken).ConfigureAwait(false);

            ModelVersion version;
            Run run;
            var address = new RegistryAddress(null, directory);
            var connection = await RegistryConnection.OpenAsync(address, context.Time, cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                run = await LogRunAsync(context, connection.Tracker, training, dataSha256, trainingStarted, work, cancellationToken).ConfigureAwait(false);

                context.Note($"[bold]3/7[/] registering [green]{ModelName}[/] from {TrainingRunRecorder.ModelUri(run.Info.RunId)} ...");
                var request = new RegistrationRequest(
                    ModelName,
                    training.OnnxPath,
                    new Dictionary<string, double>(training.Metrics, StringComparer.Ordinal),
                    new Dictionary<string, string>(training.Params, StringComparer.Ordinal),
                    run.Info.RunId,
                    [DatasetPath],
                    "Income classifier trained by slipway quickstart on the UCI Adult census data.",
                    null,
                    training.InputExamplePath,
                    training.ReferenceDataPath)
                {
                    RunArtifactPath = TrainingRunRecorder.ModelArtifactPath,
                };
                version = await new ModelRegistrar(connection.Registry, context, Environment.UserName)
                    .RegisterAsync(request, cancellationToken).ConfigureAwait(false);

                context.Note(string.Create(CultureInfo.InvariantCulture, $"[bold]4/7[/] promoting version {version.Version} to [green]{Alias}[/] (gated; protected from the second run on) ..."));
                var promotion = await connection.Deployments.PromoteAsync(new PromotionRequest(ModelName, version.Version, Alias, "quickstart"), cancellationToken).ConfigureAwait(false);
                if (promotion.Outcome != PromotionOutcome.Passed)
                {
                    throw DeploymentOutput.Refusal(promotion);
                }

                version = await connection.Registry.GetModelVersionAsync(ModelName, version.Version, cancellationToken).ConfigureAwait(false);
            }

            context.Note("[bold]5/7[/] starting a server on a free port, fetching the champion through the REST API and serving it ...");
            var (fetched, serving, feedback, sliceStarted) = await FetchAndServeAsync(context, directory, work, training, cancellationToken).ConfigureAwait(false);
            if (fetched.Version != version.Version || fetched.ContentDigest != version.ContentDigest)
            {
                throw new CliException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"the server returned version {fetched.Version} ({fetched.ContentDigest}) for {ModelName}@{Alias}, expected {version.Version} ({version.ContentDigest})."));
            }

            context.Note("[bold]6/7[/] measuring drift of the traffic sent against the training data ...");
            MonitoringView monitoring;
            var reopened = await RegistryConnection.OpenAsync(address, context.Time, cancellationToken).ConfigureAwait(false);
            await using (reopened.ConfigureAwait(false))
            {
                monitoring = await MonitoringProbe.ReportAsync(
                    reopened.Registry, directory, version, sliceStarted, context.Time.GetUtcNow().AddSeconds(1), training.DriftedSlice.Count, feedback, cancellationToken).ConfigureAwait(false);
            }

            context.Note(string.Create(CultureInfo.InvariantCulture, $"[bold]7/7[/] CI/CD: a lighter challenger ({DeploymentProbe.ChallengerTrees} trees) meets the gates, runs as a canary, and is rolled back ..."));
            var deployment = await DeploymentProbe.RunAsync(context, directory, work, version, training, cancellationToken).ConfigureAwait(false);

            return new QuickstartView(
                directory,
                ViewMapper.ToView(version),
                Alias,
                new SortedDictionary<string, double>(training.Metrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal), StringComparer.Ordinal),
                ViewMapper.ToView(fetched),
                NextSteps(directory, version.Version, run.Info.RunId, deployment.ChallengerVersion),
                run.Info.RunId,
                run.Info.ExperimentId,
                serving)
            {
                Monitoring = monitoring,
                Deployment = deployment,
            };
        }
        finally
        {
            ScratchDirectory.TryDelete(work);
        }
    }

    // Logs the training as a run of the quickstart experiment and the packaged model as its artifacts; the run ends
    // FINISHED, or FAILED when anything here fails (then the error propagates).
    private static async Task<Run> LogRunAsync(
        CliContext context, IExperimentTracker tracker, TrainingResult training, string dataSha256, long startTime, string work, CancellationToken cancellationToken)
    {
        var experimentId = await TrainingRunRecorder.EnsureExperimentAsync(tracker, cancellationToken).ConfigureAwait(false);
        var run = await TrainingRunRecorder.StartAsync(tracker, experimentId, startTime, cancellationToken).ConfigureAwait(false);
        context.Note($"[bold]2/7[/] logging run [green]{Markup.Escape(run.Info.RunName)}[/] ({run.Info.RunId}) to experiment {TrainingRunRecorder.ExperimentName} ...");
        try
        {
            var rows = long.Parse(training.Params["train_rows"], CultureInfo.InvariantCulture) + long.Parse(training.Params["test_rows"], CultureInfo.InvariantCulture);
            await TrainingRunRecorder.LogTrainingAsync(tracker, run.Info.RunId, training, DatasetPath, dataSha256, rows, cancellationToken).ConfigureAwait(false);
            var package = await ModelPackager.CreateAsync(
                training.OnnxPath,
                Path.Combine(work, "package"),
                new PackageOptions(null, training.InputExamplePath),
                context.Time,
                cancellationToken).ConfigureAwait(false);
            await TrainingRunRecorder.LogModelAsync(tracker, run.Info.RunId, package.Directory, cancellationToken).ConfigureAwait(false);
            await TrainingRunRecorder.FinishAsync(tracker, run.Info.RunId, RunStatus.Finished, context.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await TryFailAsync(tracker, run.Info.RunId, context.Time).ConfigureAwait(false);
            throw;
        }

        return await tracker.GetRunAsync(run.Info.RunId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task TryFailAsync(IExperimentTracker tracker, string runId, TimeProvider time)
    {
        try
        {
            // Not cancellable: a cancelled quickstart still marks its run as failed rather than leave it RUNNING.
            await TrainingRunRecorder.FinishAsync(tracker, runId, RunStatus.Failed, time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RegistryException)
        {
            // The original failure is the one to report.
        }
    }

    // Serves the champion with monitoring on (into the registry's monitoring/ folder), sends the held-out sample, the
    // drifted slice and the sample's true labels as feedback, then stops the server, which closes the Parquet files.
    // Returns when the drifted slice started, so that its drift can be measured alone.
    private static async Task<(ModelVersion Champion, ServingProbeView Serving, (int Rows, int Correct) Feedback, DateTimeOffset SliceStarted)> FetchAndServeAsync(
        CliContext context, string directory, string work, TrainingResult training, CancellationToken cancellationToken)
    {
        // Port 0: the operating system picks a free port and the started application reports it. The same process
        // serves the champion, so the registry and serving are exercised together.
        var serving = new ModelHostOptions { CacheDirectory = Path.Combine(work, "model-cache"), PollInterval = TimeSpan.Zero };
        serving.Models.Add(new ServedModelOptions(ModelUri.Parse($"models:/{ModelName}@{Alias}")));
        // The server reads versions' reference profiles from its own registry.
        var monitoring = new ServingMonitoringOptions { Directory = Path.Combine(directory, "monitoring"), Time = context.Time };
        var app = await SlipwayServerHost.StartAsync(
            new SlipwayServerOptions { Urls = "http://127.0.0.1:0", EmbeddedDirectory = directory, Serving = serving, Monitoring = monitoring }, cancellationToken).ConfigureAwait(false);
        await using (app.ConfigureAwait(false))
        {
            var url = app.Urls.First();
            using var client = new MlflowRegistryClient(new Uri(url));
            var champion = await client.ResolveAsync(ModelUri.Parse($"models:/{ModelName}@{Alias}"), cancellationToken).ConfigureAwait(false);
            var files = await client.GetModelVersionFilesAsync(champion.Name, champion.Version, cancellationToken).ConfigureAwait(false);

            // Read every byte back through the artifact proxy: the client verifies each file's SHA-256 as it streams.
            foreach (var file in files)
            {
                var stream = await client.OpenModelVersionFileAsync(champion.Name, champion.Version, file.Path, cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await stream.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                }
            }

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await WaitUntilServingAsync(http, cancellationToken).ConfigureAwait(false);
            var answered = new List<(string RequestId, bool[] Actuals)>();
            var probe = await ChampionProbe.RunAsync(http, ModelName, training.ServingSample, answered, cancellationToken).ConfigureAwait(false);
            var sliceStarted = context.Time.GetUtcNow();
            await ChampionProbe.SendAsync(http, ModelName, training.DriftedSlice, cancellationToken).ConfigureAwait(false);
            var feedback = await MonitoringProbe.SendFeedbackAsync(http, answered, cancellationToken).ConfigureAwait(false);
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return (champion, probe, feedback, sliceStarted);
        }
    }

    // The champion loads in the background (download, ONNX Runtime session, input example replayed); V2 readiness
    // turns true once it is live.
    internal static async Task WaitUntilServingAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using (var response = await http.GetAsync(new Uri("/v2/health/ready", UriKind.Relative), cancellationToken).ConfigureAwait(false))
            {
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                using var status = await http.GetAsync(new Uri("/api/slipway/serving/models", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                throw new CliException($"the champion did not become ready to serve within 60 s: {await status.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<string> NextSteps(string directory, long version, string runId, long challenger)
    {
        var registry = directory == Path.GetFullPath(RegistryAddress.DefaultDirectory) ? string.Empty : $" --registry \"{directory}\"";
        return
        [
            $"slipway{registry} runs show {runId}",
            $"slipway{registry} runs list --experiment {TrainingRunRecorder.ExperimentName}",
            $"slipway{registry} models list",
            $"slipway{registry} models versions {ModelName}",
            $"slipway{registry} alias history {ModelName}",
            string.Create(CultureInfo.InvariantCulture, $"slipway{registry} models download models:/{ModelName}@{Alias} --out ./{ModelName}-v{version}"),
            $"slipway{registry} server --urls http://127.0.0.1:8080   # then: export MLFLOW_TRACKING_URI=http://127.0.0.1:8080",
            $"slipway{registry} serve models:/{ModelName}@{Alias} --urls http://127.0.0.1:8081   # MLflow /invocations and V2 /v2/models/{ModelName}/infer",
            $"slipway{registry} drift models:/{ModelName}@{Alias} --since 1d --format html --report drift.html",
            $"slipway{registry} deployment show {ModelName} --alias {Alias}   # promotions, gates, canary decisions, rollbacks",
            $"slipway{registry} policy show {ModelName} {Alias}",
            string.Create(CultureInfo.InvariantCulture, $"slipway{registry} promote {ModelName} {challenger} --alias {Alias} --dry-run   # the challenger against the gates again"),
        ];
    }

    private static void Render(IAnsiConsole console, QuickstartView view)
    {
        var table = new Table().AddColumns("Metric", "Value");
        foreach (var (name, value) in view.Metrics)
        {
            table.AddRow(Markup.Escape(name), value.ToString("0.####", CultureInfo.InvariantCulture));
        }

        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[green]Registered[/] {ModelName} version {view.Version.Version} ({Alias}) in {Markup.Escape(view.Registry)}"));
        console.MarkupLine($"Training run {view.RunId} in experiment {TrainingRunRecorder.ExperimentName} (source {TrainingRunRecorder.ModelUri(view.RunId)})");
        console.Write(table);
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Fetched models:/{ModelName}@{Alias} back through the REST API: version {view.ServerRoundTrip.Version}, digest {view.ServerRoundTrip.ContentDigest}"));
        var serving = view.Serving;
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Served the champion (version {Markup.Escape(serving.Version)}): {serving.Rows} held-out rows through {serving.MlflowRequests} MLflow /invocations requests (p50 {serving.MlflowP50Milliseconds:0.0} ms) and {serving.V2Requests} V2 infer request; {serving.MatchingTraining}/{serving.Rows} labels equal ML.NET's own, accuracy {serving.Accuracy:0.000}"));
        if (view.Monitoring is { } monitoring)
        {
            RenderMonitoring(console, monitoring);
        }

        if (view.Deployment is { } deployment)
        {
            RenderDeployment(console, deployment, view.Version.Version);
        }

        console.WriteLine();
        console.WriteLine("Try next:");

        // Plain writes: commands must never be wrapped mid-line, people copy them.
        foreach (var step in view.NextSteps)
        {
            Console.Out.WriteLine("  " + step);
        }
    }

    private static void RenderMonitoring(IAnsiConsole console, MonitoringView monitoring)
    {
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Monitored every request into Parquet. Then sent a drifted slice, {monitoring.DriftedSliceRows} rows of people under {AdultIncomeTrainer.DriftedSliceMaximumAge:0}; its {monitoring.LoggedRows} logged rows against the training data: {monitoring.DriftedFeatures} of {monitoring.Features} features drifted, dataset drift {(monitoring.DatasetDrift ? "[red]yes[/]" : "[green]no[/]")}"));
        var table = new Table().AddColumns("Feature", "Test", "Score", "Threshold", "Drifted");
        foreach (var feature in monitoring.MostDrifted)
        {
            table.AddRow(
                Markup.Escape(feature.Feature),
                feature.Method,
                feature.Score.ToString("0.####", CultureInfo.InvariantCulture),
                feature.Threshold.ToString("0.##", CultureInfo.InvariantCulture),
                feature.Drifted ? "[red]yes[/]" : "no");
        }

        console.Write(table);
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Live accuracy from feedback (true labels sent to /api/slipway/feedback): {monitoring.LiveAccuracy:0.000} over {monitoring.FeedbackRows} rows"));

        // Plain writes: paths must never be wrapped mid-line, people copy them.
        Console.Out.WriteLine("  drift report (HTML):   " + monitoring.DriftReport);
        Console.Out.WriteLine("  inference log:         " + monitoring.InferenceLog);
        Console.Out.WriteLine("  profile snapshots:     " + monitoring.Profiles);
        Console.Out.WriteLine("  Grafana dashboard:     " + monitoring.Dashboard);
        Console.Out.WriteLine("  Prometheus alerts:     " + monitoring.AlertRules);
    }

    private static void RenderDeployment(IAnsiConsole console, DeploymentStepView deployment, long champion)
    {
        var metrics = deployment.ChallengerMetrics;
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Registered a lighter challenger, version {deployment.ChallengerVersion} ({deployment.ChallengerTrees} trees, auc {metrics.GetValueOrDefault("auc"):0.0000}, accuracy {metrics.GetValueOrDefault("accuracy"):0.0000})."));
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Promotion under policy revision {deployment.StrictRevision} [red]failed[/]; {Alias} did not move:"));
        foreach (var gate in deployment.FailedGates)
        {
            Console.Out.WriteLine("  FAILED " + gate);
        }

        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Policy revision {deployment.RelaxedRevision} accepts up to 2 points of AUC for the smaller model: promotion #{deployment.CanaryPromotionId} passed and started a {deployment.CanaryWeight:P0} canary."));
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"The canary answered {deployment.CanaryAnswered} of {deployment.RequestsSent} requests; the canary policy decided [bold]{Markup.Escape(deployment.CanaryDecision)}[/]: {Markup.Escape(deployment.CanaryReason)}"));
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Rolled {Alias} back to version {deployment.RolledBackTo} (input contract checked against the current signature and logged inputs: {deployment.RollbackProblems} problems). Champion at start of this step: {champion}."));
    }

    private sealed class NoteProgress(CliContext context) : IProgress<string>
    {
        public void Report(string value) => context.Note($"      [grey]{Markup.Escape(value)}[/]");
    }
}
