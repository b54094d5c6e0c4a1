using System.Diagnostics;
using System.Globalization;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Connection;
using Slipway.Cli.Deployment;
using Slipway.Cli.Output;
using Slipway.Cli.Quickstart.Training;
using Slipway.Cli.Registration;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Server;
using Slipway.Server.Monitoring;
using Slipway.Serving.Hosting;

namespace Slipway.Cli.Quickstart;

/// <summary>
/// The quickstart's CI/CD step. A lighter challenger (fewer trees) is registered and meets the champion's gate policy:
/// the strict revision (a challenger must not lose AUC) fails it; a second revision accepts a small loss for a much
/// smaller model, and the challenger starts as a canary. A serving node answers traffic from both versions until the
/// canary policy decides; then the alias is rolled back to the full model after its input contract is checked.
/// </summary>
internal static class DeploymentProbe
{
    /// <summary>Trees in the challenger (the champion has <see cref="AdultIncomeTrainer.Trees"/>).</summary>
    public const int ChallengerTrees = 8;

    /// <summary>The canary's share of requests.</summary>
    public const double CanaryWeight = 0.5;

    /// <summary>The first policy revision: a challenger must not lose ranking quality.</summary>
    public static string StrictPolicy { get; } = Policy("# Gates of adult-income@champion, set by slipway quickstart.", "auc >= champion.auc");

    /// <summary>The second revision: a much smaller model may give up to two points of AUC.</summary>
    public static string RelaxedPolicy { get; } = Policy(
        "# Gates of adult-income@champion, set by slipway quickstart: a much smaller model may give up two points of AUC.", "auc >= champion.auc - 0.02");

    private static readonly TimeSpan CanaryDeadline = TimeSpan.FromSeconds(90);

    /// <summary>Runs the step against the embedded registry in <paramref name="directory"/>.</summary>
    public static async Task<DeploymentStepView> RunAsync(
        CliContext context, string directory, string work, ModelVersion champion, TrainingResult training, CancellationToken cancellationToken)
    {
        var challengerTraining = await AdultIncomeTrainer.TrainAsync(
            QuickstartCommand.DatasetPath, Path.Combine(work, "challenger"), null, cancellationToken, ChallengerTrees).ConfigureAwait(false);
        var address = new RegistryAddress(null, directory);
        ModelVersion challenger;
        PromotionRecord failed;
        GatePolicyRevision strict;
        GatePolicyRevision relaxed;
        PromotionRecord canary;
        var connection = await RegistryConnection.OpenAsync(address, context.Time, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var request = new RegistrationRequest(
                QuickstartCommand.ModelName,
                challengerTraining.OnnxPath,
                new Dictionary<string, double>(challengerTraining.Metrics, StringComparer.Ordinal),
                new Dictionary<string, string>(challengerTraining.Params, StringComparer.Ordinal),
                string.Empty,
                [QuickstartCommand.DatasetPath],
                string.Create(CultureInfo.InvariantCulture, $"A lighter income classifier ({ChallengerTrees} trees) trained by slipway quickstart as a challenger."),
                null,
                challengerTraining.InputExamplePath,
                challengerTraining.ReferenceDataPath);
            challenger = await new ModelRegistrar(connection.Registry, context, Environment.UserName).RegisterAsync(request, cancellationToken).ConfigureAwait(false);

            var deployments = connection.Deployments;
            strict = await deployments.SetPolicyAsync(QuickstartCommand.ModelName, QuickstartCommand.Alias, StrictPolicy, cancellationToken).ConfigureAwait(false);
            failed = await deployments.PromoteAsync(
                new PromotionRequest(QuickstartCommand.ModelName, challenger.Version, QuickstartCommand.Alias, "quickstart: lighter challenger"),
                cancellationToken).ConfigureAwait(false);
            if (failed.Outcome != PromotionOutcome.Failed)
            {
                throw new CliException($"the lighter challenger was expected to fail the strict AUC gate; the promotion ended {failed.Outcome}.");
            }

            relaxed = await deployments.SetPolicyAsync(QuickstartCommand.ModelName, QuickstartCommand.Alias, RelaxedPolicy, cancellationToken).ConfigureAwait(false);
            canary = await deployments.PromoteAsync(
                new PromotionRequest(QuickstartCommand.ModelName, challenger.Version, QuickstartCommand.Alias, "quickstart: lighter challenger as a canary", PromotionMode.Canary, CanaryWeight),
                cancellationToken).ConfigureAwait(false);
            if (canary.Outcome != PromotionOutcome.CanaryStarted)
            {
                throw new CliException("the challenger's canary did not start: " + DeploymentOutput.Refusal(canary).Message);
            }
        }

        var (sent, answeredByCanary, decision) = await ServeCanaryAsync(context, directory, work, training, canary.Id, cancellationToken).ConfigureAwait(false);

        PromotionRecord rollback;
        var reopened = await RegistryConnection.OpenAsync(address, context.Time, cancellationToken).ConfigureAwait(false);
        await using (reopened.ConfigureAwait(false))
        {
            rollback = await reopened.Deployments.RollbackAsync(
                new RollbackRequest(QuickstartCommand.ModelName, QuickstartCommand.Alias, champion.Version, Reason: "quickstart: back to the full model"),
                cancellationToken).ConfigureAwait(false);
            if (rollback.Outcome == PromotionOutcome.Failed)
            {
                throw new CliException(DeploymentOutput.Refusal(rollback).Message);
            }
        }

        return new DeploymentStepView(
            challenger.Version,
            ChallengerTrees,
            new SortedDictionary<string, double>(challengerTraining.Metrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal), StringComparer.Ordinal),
            [.. failed.FailedGates.Select(g => $"{g.Gate} {g.Name}: {g.Detail}")],
            strict.Revision,
            relaxed.Revision,
            canary.Id,
            CanaryWeight,
            sent,
            answeredByCanary,
            DeploymentEvents.Snake(decision.Kind.ToString()),
            decision.Reason,
            rollback.ToVersion,
            rollback.Problems.Count);
    }

    // Both revisions differ only in the AUC gate: the canary is judged over 2 s and 100 requests at least.
    private static string Policy(string comment, string aucGate) => $"""
        {comment}
        protected: true
        gates:
          replay:
            logged_requests: 200
          metrics:
            - {aucGate}
            - accuracy >= champion.accuracy - 0.02
          latency:
            p99_ms: 100
        canary:
          weight: 50
          window: 2s
          min_requests: 100
          max_error_rate_increase: 1
          max_latency_ratio: 5
        """;

    // A serving node follows the alias and its split; traffic goes until the canary controller has decided.
    private static async Task<(int Sent, int Canary, PromotionRecord Decision)> ServeCanaryAsync(
        CliContext context, string directory, string work, TrainingResult training, long canaryPromotion, CancellationToken cancellationToken)
    {
        var serving = new ModelHostOptions { CacheDirectory = Path.Combine(work, "model-cache"), PollInterval = TimeSpan.FromMilliseconds(200) };
        serving.Models.Add(new ServedModelOptions(ModelUri.Parse($"models:/{QuickstartCommand.ModelName}@{QuickstartCommand.Alias}")));
        var monitoring = new ServingMonitoringOptions { Directory = Path.Combine(directory, "monitoring"), Time = context.Time };
        var app = await SlipwayServerHost.StartAsync(
            new SlipwayServerOptions { Urls = "http://127.0.0.1:0", EmbeddedDirectory = directory, Serving = serving, Monitoring = monitoring }, cancellationToken).ConfigureAwait(false);
        await using (app.ConfigureAwait(false))
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            using var deployments = new Mlflow.Client.SlipwayDeploymentClient(new Uri(app.Urls.First()));
            await QuickstartCommand.WaitUntilServingAsync(http, cancellationToken).ConfigureAwait(false);
            var rows = training.ServingSample.Select(s => s.Row).ToList();
            var sent = 0;
            var canary = 0;
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                for (var i = 0; i < 50; i++)
                {
                    var row = rows[sent % rows.Count];
                    if (await SendOneAsync(http, row, cancellationToken).ConfigureAwait(false))
                    {
                        canary++;
                    }

                    sent++;
                }

                var records = await deployments.GetPromotionsAsync(QuickstartCommand.ModelName, QuickstartCommand.Alias, 5, cancellationToken).ConfigureAwait(false);
                var decision = records.FirstOrDefault(r => r.Id > canaryPromotion && r.Kind is PromotionKind.CanaryPromote or PromotionKind.CanaryRollback);
                if (decision is not null)
                {
                    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    return (sent, canary, decision);
                }

                if (deadline.Elapsed > CanaryDeadline)
                {
                    throw new CliException(string.Create(CultureInfo.InvariantCulture, $"the canary policy did not decide within {CanaryDeadline.TotalSeconds:0} s ({sent} requests sent, {canary} answered by the canary)."));
                }
            }
        }
    }

    // True when the canary answered (the server names the variant in X-Slipway-Variant).
    private static async Task<bool> SendOneAsync(HttpClient http, AdultRow row, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(ChampionProbe.DataframeSplit([row]));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri($"/models/{QuickstartCommand.ModelName}/invocations", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"the served alias answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }

        return response.Headers.TryGetValues("X-Slipway-Variant", out var variants) && variants.Contains("canary", StringComparer.Ordinal);
    }
}
