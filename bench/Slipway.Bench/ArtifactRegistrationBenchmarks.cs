using BenchmarkDotNet.Attributes;
using Slipway.Core.Registry;
using Slipway.Storage;

namespace Slipway.Bench;

/// <summary>
/// Registering a 100 MB artifact against the raw sequential write speed of the same disk, in the same run: the
/// baseline writes the same bytes to a file and fsyncs it; the registry also hashes them (SHA-256), renames them into
/// the content-addressed store, indexes the path and creates a ready version.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class ArtifactRegistrationBenchmarks
{
    private const int Size = 100 * 1024 * 1024;
    private byte[] _payload = [];
    private string _root = string.Empty;
    private EmbeddedStorage? _storage;
    private ModelRegistryService? _registry;
    private int _iteration;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _payload = new byte[Size];
        new Random(7).NextBytes(_payload);
        _root = Path.Combine(Environment.CurrentDirectory, "bench-artifacts-" + Guid.NewGuid().ToString("N"));
        _storage = await StorageFactory.OpenEmbeddedAsync(_root, TimeProvider.System, CancellationToken.None);
        _registry = new ModelRegistryService(_storage.Metadata, _storage.Metadata, _storage.Blobs, TimeProvider.System, () => "bench");
        await _registry.CreateRegisteredModelAsync("big", null, null, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _storage!.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw write + fsync")]
    public async Task RawWriteAsync()
    {
        var path = Path.Combine(_root, "raw.bin");
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
        {
            await file.WriteAsync(_payload);
            file.Flush(flushToDisk: true);
        }

        File.Delete(path);
    }

    [Benchmark(Description = "register (hash + store + index + version)")]
    public async Task RegisterAsync()
    {
        // Each iteration must write new bytes, or content addressing would skip the write.
        _payload[_iteration % Size] ^= 0xFF;
        var path = $"bench/{_iteration++}/model.bin";
        using var content = new MemoryStream(_payload, writable: false);
        await _registry!.UploadArtifactAsync(path, content, CancellationToken.None);
        await _registry.CreateModelVersionAsync(
            new NewModelVersion("big", "mlflow-artifacts:/" + path, "", "", "", "bench", new Dictionary<string, string>()),
            CancellationToken.None);
    }
}
