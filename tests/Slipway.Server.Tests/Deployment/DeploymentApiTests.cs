using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Mlflow.Client;
using Slipway.Packaging;
using Slipway.Server.Tests.Support;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Server.Tests.Deployment;

/// <summary>
/// The deployment API of a real server over a registry holding iris versions: policies, gated promotion, protected
/// aliases, contract-checked rollback, and a 400 naming the field for every malformed request.
/// </summary>
public sealed class DeploymentApiTests : IAsyncLifetime
{
    private static readonly string[] Columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
    private static readonly string[] RenamedColumns = ["f0", "f1", "f2", "f3"];

    private readonly TempDirectory directory = new("slipway-deploy-api");
    private WebApplication app = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        // Versions: 1 and 2 take the iris columns (2 with lower registered accuracy), 3 takes renamed columns.
        var stores = await StorageFactory.OpenEmbeddedAsync(directory.Combine("registry"), TimeProvider.System, CancellationToken.None);
        await using (stores)
        {
            var registry = new ModelRegistryService(stores.Metadata, stores.Metadata, stores.Blobs, TimeProvider.System, () => "tester");
            await registry.CreateRegisteredModelAsync("iris", null, null, CancellationToken.None);
            await RegisterAsync(registry, "iris_logreg.onnx", Columns, 0.95);
            await RegisterAsync(registry, "iris_random_forest.onnx", Columns, 0.90);
            await RegisterAsync(registry, "iris_logreg.onnx", RenamedColumns, 0.96);
        }

        app = await SlipwayServerHost.StartAsync(
            new SlipwayServerOptions { Urls = "http://127.0.0.1:0", EmbeddedDirectory = directory.Combine("registry") }, CancellationToken.None);
        http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task Promotion_RunsTheGates_RecordsEveryAttempt_AndProtectsTheAlias()
    {
        using var client = new SlipwayDeploymentClient(new Uri(app.Urls.First()), null, "alice");
        var first = await client.PromoteAsync(new PromotionRequest("iris", 1, "champion", "first champion"), CancellationToken.None);
        Assert.Equal(PromotionOutcome.Passed, first.Outcome);
        Assert.Null(first.FromVersion);

        var policy = await client.SetPolicyAsync("iris", "champion", "gates:\n  metrics:\n    - accuracy >= champion.accuracy - 0.01\n", CancellationToken.None);
        Assert.Equal(1, policy.Revision);
        Assert.True(policy.Protected);

        // A plain alias move over MLflow's API is refused now; the alias stays.
        using var registry = new MlflowRegistryClient(new Uri(app.Urls.First()));
        var refused = await Assert.ThrowsAsync<RegistryException>(() => registry.SetAliasAsync("iris", "champion", 2, null, CancellationToken.None));
        Assert.Equal(RegistryErrorCode.InvalidState, refused.Code);
        Assert.Contains("protected", refused.Message, StringComparison.Ordinal);

        // Version 2's registered accuracy is 0.90 < 0.95 - 0.01: the metric gate fails and nothing moves.
        var failed = await client.PromoteAsync(new PromotionRequest("iris", 2, "champion", "try the forest"), CancellationToken.None);
        Assert.Equal(PromotionOutcome.Failed, failed.Outcome);
        var gate = Assert.Single(failed.FailedGates);
        Assert.Equal("metric", gate.Gate);
        Assert.Equal(1, failed.PolicyRevision);
        Assert.Equal(1, (await registry.GetModelVersionByAliasAsync("iris", "champion", CancellationToken.None)).Version);

        var records = await client.GetPromotionsAsync("iris", "champion", 10, CancellationToken.None);
        Assert.Equal([failed.Id, first.Id], records.Select(r => r.Id));
        Assert.Equal("alice", records[0].UserId);
        Assert.Equal(gate, records[0].FailedGates.Single());
    }

    [Fact]
    public async Task Rollback_RefusesAnIncompatibleContract_AndForceIsRecorded()
    {
        using var client = new SlipwayDeploymentClient(new Uri(app.Urls.First()), null, "alice");
        await client.PromoteAsync(new PromotionRequest("iris", 1, "champion"), CancellationToken.None);

        // Version 3 renames every input: only a policy without the signature gate lets it through.
        await client.SetPolicyAsync("iris", "champion", "gates:\n  signature:\n    enabled: false\n", CancellationToken.None);
        var renamed = await client.PromoteAsync(new PromotionRequest("iris", 3, "champion", "renamed inputs"), CancellationToken.None);
        Assert.Equal(PromotionOutcome.Passed, renamed.Outcome);

        var refused = await client.RollbackAsync(new RollbackRequest("iris", "champion"), CancellationToken.None);
        Assert.Equal(PromotionOutcome.Failed, refused.Outcome);
        Assert.Equal(1, refused.ToVersion);
        Assert.Equal(Columns.Order(StringComparer.Ordinal), refused.Problems.Select(p => p.Input).Order(StringComparer.Ordinal));
        Assert.All(refused.Problems, p => Assert.Equal(ContractProblemKind.MissingColumn, p.Kind));
        using var registry = new MlflowRegistryClient(new Uri(app.Urls.First()));
        Assert.Equal(3, (await registry.GetModelVersionByAliasAsync("iris", "champion", CancellationToken.None)).Version);

        var forced = await client.RollbackAsync(new RollbackRequest("iris", "champion", Force: true, Reason: "incident 42"), CancellationToken.None);
        Assert.Equal(PromotionOutcome.Forced, forced.Outcome);
        Assert.Equal(4, forced.Problems.Count);
        Assert.Equal(1, (await registry.GetModelVersionByAliasAsync("iris", "champion", CancellationToken.None)).Version);
        var history = await registry.GetAliasHistoryAsync("iris", "champion", CancellationToken.None);
        Assert.Contains("incident 42", history[^1].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"version\": 1, \"alias\": \"champion\"}", "name")]
    [InlineData("{\"name\": \"iris\", \"alias\": \"champion\"}", "version")]
    [InlineData("{\"name\": \"iris\", \"version\": \"one\", \"alias\": \"champion\"}", "version")]
    [InlineData("{\"name\": \"iris\", \"version\": 1}", "alias")]
    [InlineData("{\"name\": \"iris\", \"version\": 1, \"alias\": \"champion\", \"mode\": \"blue-green\"}", "mode")]
    [InlineData("{\"name\": \"iris\", \"version\": 2, \"alias\": \"champion\", \"mode\": \"canary\", \"share\": 1.5}", "share")]
    [InlineData("{\"name\": \"iris\", \"version\": 2, \"alias\": \"champion\", \"mode\": \"canary\", \"sticky_key\": \"no spaces\"}", "sticky_key")]
    [InlineData("{\"name\": \"iris\", \"version\": 1, \"alias\": \"champion\", \"share\": 0.5}", "share")]
    [InlineData("{\"name\": \"iris\", \"version\": 1, \"alias\": \"champion\", \"dry_run\": \"yes\"}", "dry_run")]
    public async Task Promote_BadFields_Answer400NamingTheField(string body, string field)
    {
        var message = await JsonAssert.ErrorAsync(await PostAsync("/api/slipway/promotions", body), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/slipway/rollbacks", "{\"name\": \"iris\"}", "alias")]
    [InlineData("/api/slipway/rollbacks", "{\"name\": \"iris\", \"alias\": \"champion\", \"to_version\": -3}", "to_version")]
    [InlineData("/api/slipway/rollbacks", "{\"name\": \"iris\", \"alias\": \"champion\", \"force\": 1}", "force")]
    [InlineData("/api/slipway/policies", "{\"name\": \"iris\", \"alias\": \"champion\"}", "document")]
    [InlineData("/api/slipway/policies", "{\"name\": \"iris\", \"alias\": \"champion\", \"document\": \"gates:\\n  latency:\\n    p99_ms: -5\\n\"}", "p99_ms")]
    [InlineData("/api/slipway/policies", "{\"name\": \"iris\", \"alias\": \"champion\", \"document\": \"surprise: 1\\n\"}", "surprise")]
    [InlineData("/api/slipway/deployments/conclude", "{\"name\": \"iris\", \"alias\": \"champion\", \"promotion_id\": 1}", "promote")]
    [InlineData("/api/slipway/promotions", "[1, 2]", "JSON object")]
    [InlineData("/api/slipway/promotions", "{not json", "JSON object")]
    public async Task OtherEndpoints_BadFields_Answer400NamingTheField(string path, string body, string field)
    {
        var message = await JsonAssert.ErrorAsync(await PostAsync(path, body), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains(field, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingThings_Answer404Or400_NeverA5xx()
    {
        await JsonAssert.ErrorAsync(await PostAsync("/api/slipway/promotions", "{\"name\": \"nope\", \"version\": 1, \"alias\": \"champion\"}"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await PostAsync("/api/slipway/promotions", "{\"name\": \"iris\", \"version\": 99, \"alias\": \"champion\"}"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await http.GetAsync("/api/slipway/policies?name=iris&alias=champion"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await JsonAssert.ErrorAsync(await http.GetAsync("/api/slipway/deployments?name=iris"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var noAlias = await JsonAssert.ErrorAsync(await PostAsync("/api/slipway/rollbacks", "{\"name\": \"iris\", \"alias\": \"champion\"}"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Contains("nothing to roll back", noAlias, StringComparison.Ordinal);
        var noSplit = await JsonAssert.ErrorAsync(
            await PostAsync("/api/slipway/deployments/conclude", "{\"name\": \"iris\", \"alias\": \"champion\", \"promotion_id\": 1, \"promote\": true}"),
            HttpStatusCode.BadRequest,
            "INVALID_STATE");
        Assert.Contains("no canary or shadow", noSplit, StringComparison.Ordinal);
        var canaryFirst = await JsonAssert.ErrorAsync(
            await PostAsync("/api/slipway/promotions", "{\"name\": \"iris\", \"version\": 1, \"alias\": \"champion\", \"mode\": \"canary\"}"),
            HttpStatusCode.BadRequest,
            "INVALID_STATE");
        Assert.Contains("promote directly first", canaryFirst, StringComparison.Ordinal);
        var none = await JsonAssert.OkAsync(await http.GetAsync("/api/slipway/deployments?name=iris&alias=champion"));
        Assert.Equal(JsonValueKind.Null, none.GetProperty("deployment").ValueKind);
    }

    private static async Task RegisterAsync(ModelRegistryService registry, string model, IReadOnlyList<string> columns, double accuracy)
    {
        using var scratch = new TempDirectory("slipway-package");
        var package = scratch.Combine("package");
        await ModelPackager.CreateAsync(RepoPaths.Combine("testdata", "models", model), package, new PackageOptions(columns, null), TimeProvider.System, CancellationToken.None);
        var tags = new Dictionary<string, string> { ["slipway.metric.accuracy"] = accuracy.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await registry.CreateModelVersionAsync(new NewModelVersion("iris", package, string.Empty, string.Empty, string.Empty, "tester", tags), CancellationToken.None);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
}
