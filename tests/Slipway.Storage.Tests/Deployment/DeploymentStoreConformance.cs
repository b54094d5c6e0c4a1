using Slipway.Core.Deployment;
using Slipway.Core.Registry;
using Slipway.Storage;
using Slipway.Storage.Metadata;

namespace Slipway.Storage.Tests.Deployment;

/// <summary>
/// What every deployment store must do: versioned gate policies, protected aliases, promotion records written with
/// their alias move and split change in one transaction. Each provider inherits this class.
/// </summary>
public abstract class DeploymentStoreConformance : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    protected SqlMetadataStore Store { get; private set; } = null!;

    /// <summary>A URI of a fresh, empty database.</summary>
    protected abstract Task<string> CreateStoreUriAsync();

    public async Task InitializeAsync() =>
        Store = await StorageFactory.OpenMetadataStoreAsync(await CreateStoreUriAsync(), TimeProvider.System, CancellationToken.None);

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Policies_AreVersionedPerAlias()
    {
        var name = await ModelWithVersionsAsync(1);
        var first = await Store.AddGatePolicyAsync(name, "champion", "protected: true", true, "alice", 10, CancellationToken.None);
        var second = await Store.AddGatePolicyAsync(name, "champion", "protected: false", false, "bob", 20, CancellationToken.None);
        var other = await Store.AddGatePolicyAsync(name, "staging", "{}", true, "carol", 30, CancellationToken.None);

        Assert.Equal((1, 2, 1), (first.Revision, second.Revision, other.Revision));
        var newest = await Store.GetGatePolicyAsync(name, "champion", null, CancellationToken.None);
        Assert.Equal(second, newest);
        Assert.Equal(first, await Store.GetGatePolicyAsync(name, "champion", 1, CancellationToken.None));
        Assert.Null(await Store.GetGatePolicyAsync(name, "champion", 3, CancellationToken.None));
        Assert.Null(await Store.GetGatePolicyAsync(name, "nothing", null, CancellationToken.None));
        var all = await Store.ListGatePoliciesAsync(name, null, CancellationToken.None);
        Assert.Equal(["champion/1", "champion/2", "staging/1"], all.Select(p => $"{p.Alias}/{p.Revision}"));
        Assert.Single(await Store.ListGatePoliciesAsync(name, "staging", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<RegistryException>(() => Store.AddGatePolicyAsync("no-such-model", "a", "{}", true, "x", 1, CancellationToken.None));
        Assert.Equal(RegistryErrorCode.ResourceDoesNotExist, missing.Code);
    }

    [Fact]
    public async Task ProtectedAlias_RefusesPlainSetDeleteAndTargetDeletion()
    {
        var name = await ModelWithVersionsAsync(2);
        await Store.SetAliasAsync(name, "champion", 1, Change("first"), CancellationToken.None);
        await Store.AddGatePolicyAsync(name, "champion", "{}", true, "alice", 10, CancellationToken.None);

        var set = await Assert.ThrowsAsync<RegistryException>(() => Store.SetAliasAsync(name, "champion", 2, Change("sneak"), CancellationToken.None));
        Assert.Equal(RegistryErrorCode.InvalidState, set.Code);
        Assert.Contains("protected", set.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAsync<RegistryException>(() => Store.DeleteAliasAsync(name, "champion", Change("sneak"), CancellationToken.None));
        Assert.Equal(RegistryErrorCode.InvalidState, delete.Code);
        var deleteVersion = await Assert.ThrowsAsync<RegistryException>(() => Store.DeleteModelVersionAsync(name, 1, Change("sneak"), CancellationToken.None));
        Assert.Equal(RegistryErrorCode.InvalidState, deleteVersion.Code);
        Assert.Equal(1, (await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None))!.Version);

        // Other aliases stay free; a newer revision that is not protected frees the alias again.
        await Store.SetAliasAsync(name, "challenger", 2, Change("free"), CancellationToken.None);
        await Store.AddGatePolicyAsync(name, "champion", "protected: false", false, "alice", 20, CancellationToken.None);
        await Store.SetAliasAsync(name, "champion", 2, Change("allowed"), CancellationToken.None);
        Assert.Equal(2, (await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task RecordPromotion_MovesProtectedAliasWithRecordAndHistory()
    {
        var name = await ModelWithVersionsAsync(2);
        await Store.SetAliasAsync(name, "champion", 1, Change("first"), CancellationToken.None);
        await Store.AddGatePolicyAsync(name, "champion", "{}", true, "alice", 10, CancellationToken.None);
        var gates = new[]
        {
            new GateResult("metric", "auc >= champion.auc - 0.01", GateOutcome.Passed, "0.91 >= 0.89"),
            new GateResult("drift", "drift", GateOutcome.Skipped, "no traffic"),
        };

        var stored = await Store.RecordPromotionAsync(
            Record(name, 1, 2, PromotionKind.Promote, PromotionOutcome.Passed) with { Gates = gates, PolicyRevision = 1 },
            new PromotionEffects(MoveAlias: true),
            CancellationToken.None);

        Assert.True(stored.Id > 0);
        Assert.Equal(2, (await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None))!.Version);
        var history = await Store.GetAliasHistoryAsync(name, "champion", CancellationToken.None);
        Assert.Equal((1L, 2L), (history[^1].FromVersion!.Value, history[^1].ToVersion!.Value));
        Assert.StartsWith($"promote #{stored.Id}", history[^1].Reason, StringComparison.Ordinal);
        var listed = Assert.Single(await Store.ListPromotionsAsync(name, "champion", 10, CancellationToken.None));
        Assert.Equal(stored.Id, listed.Id);
        Assert.Equal(gates, listed.Gates);
        Assert.Equal(PromotionOutcome.Passed, listed.Outcome);
        Assert.Equal(1, listed.PolicyRevision);
    }

    [Fact]
    public async Task RecordPromotion_FailedAttemptIsRecordedAndMovesNothing()
    {
        var name = await ModelWithVersionsAsync(2);
        await Store.SetAliasAsync(name, "champion", 1, Change("first"), CancellationToken.None);
        var problems = new[] { new ContractProblem(ContractProblemKind.MissingColumn, "age", "double", string.Empty, "current signature") };

        await Store.RecordPromotionAsync(
            Record(name, 1, 2, PromotionKind.Rollback, PromotionOutcome.Failed) with { Problems = problems },
            PromotionEffects.RecordOnly,
            CancellationToken.None);

        Assert.Equal(1, (await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None))!.Version);
        var listed = Assert.Single(await Store.ListPromotionsAsync(name, null, 10, CancellationToken.None));
        Assert.Equal(problems, listed.Problems);
        Assert.Equal(PromotionKind.Rollback, listed.Kind);
    }

    [Fact]
    public async Task RecordPromotion_StaleFromVersion_IsRefusedAndNotRecorded()
    {
        var name = await ModelWithVersionsAsync(3);
        await Store.SetAliasAsync(name, "champion", 2, Change("moved meanwhile"), CancellationToken.None);

        var stale = await Assert.ThrowsAsync<RegistryException>(() =>
            Store.RecordPromotionAsync(Record(name, 1, 3, PromotionKind.Promote, PromotionOutcome.Passed), new PromotionEffects(MoveAlias: true), CancellationToken.None));

        Assert.Equal(RegistryErrorCode.InvalidState, stale.Code);
        Assert.Empty(await Store.ListPromotionsAsync(name, null, 10, CancellationToken.None));
        Assert.Equal(2, (await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Splits_StartOnceAndEndOnlyByTheirPromotion()
    {
        var name = await ModelWithVersionsAsync(3);
        await Store.SetAliasAsync(name, "champion", 1, Change("first"), CancellationToken.None);
        var split = new DeploymentState(name, "champion", 2, 0.25, "X-User", null, 0, new CanaryPolicy(60, 50, 0.02, 2, true, false), 777, 0);

        var started = await Store.RecordPromotionAsync(
            Record(name, 1, 2, PromotionKind.Promote, PromotionOutcome.CanaryStarted), new PromotionEffects(false, StartSplit: split), CancellationToken.None);

        var state = await Store.GetDeploymentAsync(name, "champion", CancellationToken.None);
        Assert.Equal(split with { PromotionId = started.Id }, state);
        Assert.Equal(1, (await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None))!.Version);

        var second = await Assert.ThrowsAsync<RegistryException>(() =>
            Store.RecordPromotionAsync(Record(name, 1, 3, PromotionKind.Promote, PromotionOutcome.CanaryStarted), new PromotionEffects(false, StartSplit: split with { CanaryVersion = 3 }), CancellationToken.None));
        Assert.Equal(RegistryErrorCode.InvalidState, second.Code);
        var wrongEnd = await Assert.ThrowsAsync<RegistryException>(() =>
            Store.RecordPromotionAsync(Record(name, 1, 2, PromotionKind.CanaryPromote, PromotionOutcome.Passed), new PromotionEffects(true, EndSplitOf: started.Id + 100), CancellationToken.None));
        Assert.Equal(RegistryErrorCode.InvalidState, wrongEnd.Code);

        await Store.RecordPromotionAsync(Record(name, 1, 2, PromotionKind.CanaryPromote, PromotionOutcome.Passed), new PromotionEffects(true, EndSplitOf: started.Id), CancellationToken.None);

        Assert.Null(await Store.GetDeploymentAsync(name, "champion", CancellationToken.None));
        Assert.Equal(2, (await Store.GetModelVersionByAliasAsync(name, "champion", CancellationToken.None))!.Version);
        Assert.Equal(
            [PromotionKind.CanaryPromote, PromotionKind.Promote],
            (await Store.ListPromotionsAsync(name, "champion", 10, CancellationToken.None)).Select(r => r.Kind));
    }

    private static AliasChange Change(string reason) => new("alice", reason, 5000);

    private static PromotionRecord Record(string name, long? from, long to, PromotionKind kind, PromotionOutcome outcome) =>
        new(0, name, "champion", kind, from, to, null, outcome, [], [], "alice", "because", 9000);

    private async Task<string> ModelWithVersionsAsync(int versions)
    {
        var name = $"dep-{Guid.NewGuid():N}"[..16];
        await Store.CreateRegisteredModelAsync(name, string.Empty, NoTags, 1000, CancellationToken.None);
        for (var i = 0; i < versions; i++)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
            await Store.CreateModelVersionAsync(
                new NewModelVersion(name, "mlflow-artifacts:/x", string.Empty, string.Empty, string.Empty, "bob", NoTags),
                [new Core.Artifacts.StoredFile("model/MLmodel", hash, 8)],
                2000 + i,
                CancellationToken.None);
        }

        return name;
    }
}
