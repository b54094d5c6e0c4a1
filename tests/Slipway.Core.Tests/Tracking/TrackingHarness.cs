using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Storage;
using Slipway.Testing;

namespace Slipway.Core.Tests.Tracking;

/// <summary>The tracking service and the registry over real embedded storage (SQLite + files) in a fresh directory, on a fake clock.</summary>
public sealed class TrackingHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 4, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory;
    private readonly EmbeddedStorage _storage;

    private TrackingHarness(TempDirectory directory, EmbeddedStorage storage, FakeTimeProvider time)
    {
        _directory = directory;
        _storage = storage;
        Time = time;
        Registry = new ModelRegistryService(storage.Metadata, storage.Metadata, storage.Blobs, time, () => User, runs: storage.Metadata);
        RegistryWithoutRuns = new ModelRegistryService(storage.Metadata, storage.Metadata, storage.Blobs, time, () => User);
        Tracker = new TrackingService(storage.Metadata, Registry, time, () => User);
    }

    public FakeTimeProvider Time { get; }

    public string User { get; set; } = "alice";

    public ModelRegistryService Registry { get; }

    public ModelRegistryService RegistryWithoutRuns { get; }

    public TrackingService Tracker { get; }

    public ITrackingStore Store => _storage.Metadata;

    public static async Task<TrackingHarness> StartAsync()
    {
        var directory = new TempDirectory("slipway-tracking-core");
        var time = new FakeTimeProvider(Start);
        var storage = await StorageFactory.OpenEmbeddedAsync(directory.Path, time, CancellationToken.None);
        return new TrackingHarness(directory, storage, time);
    }

    public async Task<string> NewExperimentAsync() =>
        await Tracker.CreateExperimentAsync("exp-" + Guid.NewGuid().ToString("N")[..8], null, null, CancellationToken.None);

    public async Task<Run> NewRunAsync(string? name = null) =>
        await Tracker.CreateRunAsync(await NewExperimentAsync(), name, null, null, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _storage.DisposeAsync();
        _directory.Dispose();
    }
}
