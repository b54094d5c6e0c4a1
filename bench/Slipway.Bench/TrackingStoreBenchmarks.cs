using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;
using Slipway.Storage;

namespace Slipway.Bench;

/// <summary>
/// Logging 1,000 metrics in one batch through the tracking service on the embedded SQLite store, against the floor of
/// the same engine in the same run: 1,000 rows of the same shape inserted by one prepared command in one transaction,
/// on a connection with the store's settings (WAL, synchronous NORMAL). The service also validates every item, skips
/// exact duplicates and keeps the latest value per key for search.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class TrackingStoreBenchmarks
{
    private const int Metrics = 1_000;
    private string _root = string.Empty;
    private EmbeddedStorage? _storage;
    private TrackingService? _tracker;
    private string _runId = string.Empty;
    private SqliteConnection? _raw;
    private long _step;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _root = Path.Combine(Environment.CurrentDirectory, "bench-tracking-" + Guid.NewGuid().ToString("N"));
        _storage = await StorageFactory.OpenEmbeddedAsync(_root, TimeProvider.System, CancellationToken.None);
        var registry = new ModelRegistryService(_storage.Metadata, _storage.Metadata, _storage.Blobs, TimeProvider.System, () => "bench");
        _tracker = new TrackingService(_storage.Metadata, registry, TimeProvider.System, () => "bench");
        var experiment = await _tracker.CreateExperimentAsync("bench", null, null, CancellationToken.None);
        _runId = (await _tracker.CreateRunAsync(experiment, "bench", null, null, CancellationToken.None)).Info.RunId;

        _raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_root, "raw.db") }.ToString());
        await _raw.OpenAsync();
        await using var setup = _raw.CreateCommand();
        setup.CommandText = """
            PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
            CREATE TABLE metrics (run_uuid TEXT NOT NULL, key TEXT NOT NULL, value REAL NOT NULL, timestamp INTEGER NOT NULL,
              step INTEGER NOT NULL, PRIMARY KEY (run_uuid, key, timestamp, step, value));
            """;
        await setup.ExecuteNonQueryAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _raw!.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await _storage!.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw SQLite: 1,000 prepared inserts, one transaction")]
    public async Task RawInsertAsync()
    {
        await using var transaction = (SqliteTransaction)await _raw!.BeginTransactionAsync();
        await using var insert = _raw.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO metrics VALUES ($run, $key, $value, $timestamp, $step)";
        var run = insert.Parameters.Add("$run", SqliteType.Text);
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var value = insert.Parameters.Add("$value", SqliteType.Real);
        var timestamp = insert.Parameters.Add("$timestamp", SqliteType.Integer);
        var step = insert.Parameters.Add("$step", SqliteType.Integer);
        insert.Prepare();
        foreach (var metric in NextBatch())
        {
            run.Value = _runId;
            key.Value = metric.Key;
            value.Value = metric.Value;
            timestamp.Value = metric.Timestamp;
            step.Value = metric.Step;
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    [Benchmark(Description = "tracking service: log-batch of 1,000 metrics")]
    public Task LogBatchAsync() => _tracker!.LogBatchAsync(_runId, NextBatch(), null, null, CancellationToken.None);

    private List<Metric> NextBatch()
    {
        var batch = new List<Metric>(Metrics);
        for (var i = 0; i < Metrics; i++)
        {
            var step = _step++;
            batch.Add(new Metric("m" + (i % 20), step * 0.001, 1_790_000_000_000 + step, step));
        }

        return batch;
    }
}
