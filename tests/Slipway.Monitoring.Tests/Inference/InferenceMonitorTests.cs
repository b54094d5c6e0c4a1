using Microsoft.Extensions.Time.Testing;
using Slipway.Monitoring.Inference;
using Slipway.Testing;

namespace Slipway.Monitoring.Tests.Inference;

public sealed class InferenceMonitorTests
{
    [Fact]
    public async Task Files_rotate_every_utc_hour_and_on_a_version_change()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(MonitorFixtures.Start);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock });

        monitor.TryRecord(MonitorFixtures.IrisRecord("a", MonitorFixtures.Start));
        monitor.TryRecord(MonitorFixtures.IrisRecord("b", MonitorFixtures.Start.AddMinutes(50)));
        monitor.TryRecord(MonitorFixtures.IrisRecord("c", MonitorFixtures.Start.AddMinutes(46)));
        monitor.TryRecord(MonitorFixtures.IrisRecord("d", MonitorFixtures.Start.AddMinutes(47), contract: MonitorFixtures.Iris("2")));
        // 23:59 and the next day's first minutes land in two date partitions.
        var lateEvening = new DateTimeOffset(2026, 11, 26, 23, 59, 0, TimeSpan.Zero);
        monitor.TryRecord(MonitorFixtures.IrisRecord("e", lateEvening, contract: MonitorFixtures.Iris("2")));
        monitor.TryRecord(MonitorFixtures.IrisRecord("f", lateEvening.AddMinutes(2), contract: MonitorFixtures.Iris("2")));
        await monitor.FlushAsync();

        Assert.Equal(
            [
                "model=iris/date=2026-11-26/10-v1-0001.parquet",
                "model=iris/date=2026-11-26/11-v1-0001.parquet",
                "model=iris/date=2026-11-26/11-v2-0001.parquet",
                "model=iris/date=2026-11-26/23-v2-0001.parquet",
                "model=iris/date=2026-11-27/00-v2-0001.parquet",
            ],
            MonitorFixtures.Files(dir.Path, MonitoringPaths.Inferences));
        var (_, columns, reader) = await MonitorFixtures.ReadAsync(dir.Combine(MonitoringPaths.Inferences, "model=iris", "date=2026-11-26", "11-v1-0001.parquet"));
        await using (reader)
        {
            Assert.Equal(new object?[] { "b", "c" }, columns["request_id"]);
        }

        Assert.Equal(5, monitor.FilesWritten);
        Assert.Equal(6, monitor.RowsLogged);
    }

    [Fact]
    public async Task Interleaved_versions_of_a_canary_keep_one_file_each()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(MonitorFixtures.Start);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock });

        // A 50 % canary alternates versions request by request; each version keeps its own open file.
        var canary = MonitorFixtures.Iris("2");
        for (var i = 0; i < 40; i++)
        {
            monitor.TryRecord(MonitorFixtures.IrisRecord("r" + i, MonitorFixtures.Start.AddSeconds(i), contract: i % 2 == 0 ? null : canary));
        }

        await monitor.FlushAsync();

        Assert.Equal(
            ["model=iris/date=2026-11-26/10-v1-0001.parquet", "model=iris/date=2026-11-26/10-v2-0001.parquet"],
            MonitorFixtures.Files(dir.Path, MonitoringPaths.Inferences));
        var (_, columns, reader) = await MonitorFixtures.ReadAsync(dir.Combine(MonitoringPaths.Inferences, "model=iris", "date=2026-11-26", "10-v2-0001.parquet"));
        await using (reader)
        {
            Assert.Equal(Enumerable.Range(0, 20).Select(k => (object?)("r" + (2 * k + 1))).ToArray(), (object?[])columns["request_id"]);
        }

        Assert.Equal(40, monitor.RowsLogged);
    }

    [Fact]
    public async Task An_hour_without_more_traffic_is_closed_by_the_clock()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(MonitorFixtures.Start);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock, FlushInterval = TimeSpan.FromSeconds(10) });

        monitor.TryRecord(MonitorFixtures.IrisRecord("a", MonitorFixtures.Start));
        clock.Advance(TimeSpan.FromMinutes(50));
        await WaitUntil(() => monitor.FilesWritten == 1);

        Assert.Equal(["model=iris/date=2026-11-26/10-v1-0001.parquet"], MonitorFixtures.Files(dir.Path, MonitoringPaths.Inferences));
    }

    [Fact]
    public async Task Row_groups_are_written_every_RowGroupRows_rows_into_one_file()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(MonitorFixtures.Start);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock, RowGroupRows = 4 });
        for (var i = 0; i < 10; i++)
        {
            monitor.TryRecord(MonitorFixtures.IrisRecord("r" + i, MonitorFixtures.Start.AddSeconds(i), seed: i));
        }

        await monitor.FlushAsync();

        var (_, columns, reader) = await MonitorFixtures.ReadAsync(dir.Combine(MonitoringPaths.Inferences, "model=iris", "date=2026-11-26", "10-v1-0001.parquet"));
        await using (reader)
        {
            Assert.Equal(3, reader.RowGroupCount);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (object?)("r" + i)), columns["request_id"].Cast<object?>());
        }
    }

    [Fact]
    public async Task Sampling_keeps_the_same_requests_for_the_same_seed_and_none_at_rate_zero()
    {
        using var dir = new TempDirectory();
        var counts = new List<long>();
        for (var run = 0; run < 2; run++)
        {
            await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Combine("run" + run), SampleRate = 0.25, SamplingSeed = 42, Enabled = true });
            var kept = new List<int>();
            for (var i = 0; i < 4000; i++)
            {
                if (monitor.TryRecord(MonitorFixtures.IrisRecord("r" + i, MonitorFixtures.Start)))
                {
                    kept.Add(i);
                }
            }

            Assert.Equal(4000, monitor.Recorded + monitor.SampledOut);
            counts.Add(monitor.Recorded);
            await monitor.FlushAsync();
            Assert.Equal(monitor.Recorded, monitor.RowsLogged);
        }

        Assert.Equal(counts[0], counts[1]);
        // Binomial(4000, 0.25): mean 1000, sd 27.4; 5 sd either side.
        Assert.InRange(counts[0], 863, 1137);

        await using var none = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Combine("none"), SampleRate = 0 });
        for (var i = 0; i < 100; i++)
        {
            Assert.False(none.TryRecord(MonitorFixtures.IrisRecord("r" + i, MonitorFixtures.Start)));
        }

        await none.FlushAsync();
        Assert.Equal(100, none.SampledOut);
        Assert.Equal(0, none.Recorded);
        Assert.Empty(MonitorFixtures.Files(dir.Combine("none"), MonitoringPaths.Inferences));
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_without_blocking()
    {
        using var dir = new TempDirectory();
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, Capacity = 2 });
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        monitor.BeforeEachItem = () =>
        {
            if (!first)
            {
                return ValueTask.CompletedTask;
            }

            first = false;
            entered.SetResult();
            return new ValueTask(release.Task);
        };

        Assert.True(monitor.TryRecord(MonitorFixtures.IrisRecord("held", MonitorFixtures.Start)));
        await entered.Task;
        var accepted = 0;
        for (var i = 0; i < 5; i++)
        {
            // The writer is held: two fit in the queue, the other three are dropped at once.
            accepted += monitor.TryRecord(MonitorFixtures.IrisRecord("r" + i, MonitorFixtures.Start)) ? 1 : 0;
        }

        Assert.Equal(2, accepted);
        Assert.Equal(3, monitor.Dropped);
        Assert.Equal(3, monitor.Recorded);
        release.SetResult();
        await monitor.FlushAsync();
        Assert.Equal(3, monitor.RowsLogged);
    }

    [Fact]
    public async Task Concurrent_records_from_many_threads_are_all_logged_when_capacity_allows()
    {
        using var dir = new TempDirectory();
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, Capacity = 10_000, RowGroupRows = 1000 });
        var record = MonitorFixtures.IrisRecord("x", MonitorFixtures.Start, rows: 2);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                Assert.True(monitor.TryRecord(record with { RequestId = $"t{t}-{i}" }));
            }
        })));
        await monitor.FlushAsync();

        Assert.Equal(4000, monitor.Recorded);
        Assert.Equal(0, monitor.Dropped);
        Assert.Equal(8000, monitor.RowsLogged);
        var (_, columns, reader) = await MonitorFixtures.ReadAsync(dir.Combine(MonitoringPaths.Inferences, "model=iris", "date=2026-11-26", "10-v1-0001.parquet"));
        await using (reader)
        {
            Assert.Equal(4000, columns["request_id"].Cast<string>().Distinct().Count());
        }
    }

    [Fact]
    public async Task Mixed_types_and_large_tensors_are_logged_with_their_types_or_shape()
    {
        using var dir = new TempDirectory();
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path });
        monitor.TryRecord(MonitorFixtures.MixedRecord("m", MonitorFixtures.Start, [1.5, double.NaN], [7, -3], ["Paris", null], [true, false], [0.25, 2.5]));
        var pixels = new float[2 * 64];
        monitor.TryRecord(new InferenceRecord(
            MonitorFixtures.Image(), null, "img", "v2", MonitorFixtures.Start, 0.1,
            [new Slipway.Serving.Tensors.Tensor("pixels", Slipway.Serving.Tensors.TensorType.Float32, [2, 8, 8], pixels)],
            [new Slipway.Serving.Tensors.Tensor("scores", Slipway.Serving.Tensors.TensorType.Float32, [2, 2], new float[] { 0.1f, 0.9f, 0.6f, 0.4f })],
            2));
        await monitor.FlushAsync();

        var (schema, columns, reader) = await MonitorFixtures.ReadAsync(dir.Combine(MonitoringPaths.Inferences, "model=mixed", "date=2026-11-26", "10-v1-0001.parquet"));
        await using (reader)
        {
            Assert.Equal(typeof(double), schema.GetDataFields().Single(f => f.Name == "x").ClrType);
            Assert.Equal(typeof(long), schema.GetDataFields().Single(f => f.Name == "n").ClrType);
            Assert.Equal(typeof(bool), schema.GetDataFields().Single(f => f.Name == "flag").ClrType);
            Assert.Equal(new object?[] { 1.5, double.NaN }, columns["x"]);
            Assert.Equal(new object?[] { 7L, -3L }, columns["n"]);
            Assert.Equal(new object?[] { "Paris", null }, columns["city"]);
            Assert.Equal(new object?[] { true, false }, columns["flag"]);
            Assert.Equal(new object?[] { 0.25, 2.5 }, columns["variable"]);
            Assert.Equal(new object?[] { "v2", "v2" }, columns["protocol"]);
        }

        var (imageSchema, image, imageReader) = await MonitorFixtures.ReadAsync(dir.Combine(MonitoringPaths.Inferences, "model=image", "date=2026-11-26", "10-v1-0001.parquet"));
        await using (imageReader)
        {
            Assert.DoesNotContain(imageSchema.GetDataFields(), f => f.Name == "pixels");
            Assert.Equal(new object?[] { "8x8", "8x8" }, image["pixels_shape"]);
            Assert.Equal(new object?[] { 0.1f, 0.6f }, image["scores_0"]);
            Assert.Equal(new object?[] { 0.9f, 0.4f }, image["scores_1"]);
        }
    }

    [Fact]
    public async Task TryRecord_refuses_when_disabled_and_after_dispose_without_throwing()
    {
        using var dir = new TempDirectory();
        await using (var off = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, Enabled = false }))
        {
            Assert.False(off.TryRecord(MonitorFixtures.IrisRecord("a", MonitorFixtures.Start)));
            Assert.Equal(0, off.Recorded);
        }

        var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path });
        monitor.TryRecord(MonitorFixtures.IrisRecord("a", MonitorFixtures.Start));
        await monitor.DisposeAsync();
        Assert.Equal(1, monitor.RowsLogged);
        Assert.False(monitor.TryRecord(MonitorFixtures.IrisRecord("b", MonitorFixtures.Start)));
        Assert.Equal(1, monitor.Dropped);
        Assert.Equal(["model=iris/date=2026-11-26/10-v1-0001.parquet"], MonitorFixtures.Files(dir.Path, MonitoringPaths.Inferences).Where(f => f.StartsWith("model=iris", StringComparison.Ordinal)));
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
