using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Registry;
using Slipway.Core.Tracking;

namespace Slipway.Core.Tests.Tracking;

public sealed class RunLoggerTests
{
    private const string RunId = "0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingTracker _tracker = new();

    private RunLogger NewLogger(TimeSpan? interval = null, RunStatus? endStatus = null, int maxBuffered = 1000) =>
        new(_tracker, RunId, new RunLoggerOptions
        {
            TimeProvider = _time,
            FlushInterval = interval ?? TimeSpan.FromSeconds(1),
            EndStatusOnDispose = endStatus,
            MaxBufferedMetrics = maxBuffered,
        });

    [Fact]
    public async Task LogMetric_Buffers_UntilFlush_WithTimestampsAndSteps()
    {
        await using var logger = NewLogger();
        logger.LogMetric("loss", 0.5, step: 1);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        logger.LogMetric("loss", 0.25, step: 2);

        Assert.Empty(_tracker.Batches);
        Assert.Equal(2, logger.BufferedCount);

        await logger.FlushAsync();

        var batch = Assert.Single(_tracker.Batches);
        var t0 = Start.ToUnixTimeMilliseconds();
        Assert.Equal([new Metric("loss", 0.5, t0, 1), new Metric("loss", 0.25, t0 + 10, 2)], batch.Metrics);
        Assert.Equal(0, logger.BufferedCount);
    }

    [Fact]
    public async Task ThousandBufferedMetrics_FlushWithoutBeingAsked()
    {
        await using var logger = NewLogger(interval: Timeout.InfiniteTimeSpan);
        for (var i = 0; i < 999; i++)
        {
            logger.LogMetric("m", i, i);
        }

        Assert.Empty(_tracker.Batches);

        logger.LogMetric("m", 999, 999);

        var batch = Assert.Single(_tracker.Batches);
        Assert.Equal(1000, batch.Metrics.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), batch.Metrics.Select(m => m.Step));
    }

    [Fact]
    public async Task Flush_SplitsIntoMlflowSizedBatches_InOrder()
    {
        await using var logger = NewLogger(interval: Timeout.InfiniteTimeSpan, maxBuffered: 1000);
        for (var i = 0; i < 150; i++)
        {
            logger.LogParam("p" + i, "v");
        }

        for (var i = 0; i < 120; i++)
        {
            logger.SetTag("t" + i, "v");
        }

        await logger.FlushAsync();
        var batches = _tracker.Batches;

        Assert.All(batches, b => Assert.True(b.Params.Count <= 100 && b.Tags.Count <= 100 && b.Metrics.Count + b.Params.Count + b.Tags.Count <= 1000));
        Assert.Equal(Enumerable.Range(0, 150).Select(i => "p" + i), batches.SelectMany(b => b.Params).Select(p => p.Key));
        Assert.Equal(Enumerable.Range(0, 120).Select(i => "t" + i), batches.SelectMany(b => b.Tags).Select(t => t.Key));
    }

    [Fact]
    public async Task MixedBatch_KeepsTheTotalAtOneThousand()
    {
        await using var logger = NewLogger(interval: Timeout.InfiniteTimeSpan, maxBuffered: 1000);
        for (var i = 0; i < 99; i++)
        {
            logger.LogParam("p" + i, "v");
            logger.SetTag("t" + i, "v");
        }

        for (var i = 0; i < 999; i++)
        {
            logger.LogMetric("m", i, i);
        }

        await logger.FlushAsync();

        Assert.Equal([(802, 99, 99), (197, 0, 0)], _tracker.Batches.Select(b => (b.Metrics.Count, b.Params.Count, b.Tags.Count)));
    }

    [Fact]
    public async Task Timer_FlushesPeriodically()
    {
        await using var logger = NewLogger(interval: TimeSpan.FromSeconds(2));
        logger.LogMetric("acc", 0.9);

        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Empty(_tracker.Batches);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(Assert.Single(_tracker.Batches).Metrics);

        logger.LogMetric("acc", 0.95);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, _tracker.Batches.Count);

        // Nothing buffered: the timer sends no empty batches.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _tracker.Batches.Count);
    }

    [Fact]
    public async Task DefaultInterval_IsOneSecond()
    {
        await using var logger = new RunLogger(_tracker, RunId, new RunLoggerOptions { TimeProvider = _time });
        logger.LogMetric("acc", 1);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(_tracker.Batches);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(_tracker.Batches);
    }

    [Fact]
    public async Task BackgroundFailure_SurfacesOnTheNextCall_Once()
    {
        await using var logger = NewLogger();
        var failure = RegistryException.Invalid("run is deleted");
        _tracker.FailWith = failure;
        logger.LogMetric("acc", 1);
        _time.Advance(TimeSpan.FromSeconds(1));

        var thrown = Assert.Throws<RegistryException>(() => logger.LogMetric("acc", 2));
        Assert.Same(failure, thrown);
        Assert.Equal(0, logger.BufferedCount);

        _tracker.FailWith = null;
        logger.LogMetric("acc", 3);
        await logger.FlushAsync();
        Assert.Equal([3.0], Assert.Single(_tracker.Batches).Metrics.Select(m => m.Value));
    }

    [Fact]
    public async Task BackgroundFailure_SurfacesOnFlush()
    {
        await using var logger = NewLogger(interval: Timeout.InfiniteTimeSpan, maxBuffered: 2);
        _tracker.FailWith = new IOException("connection reset");
        logger.LogMetric("a", 1);
        logger.LogMetric("a", 2);

        await Assert.ThrowsAsync<IOException>(() => logger.FlushAsync());
        _tracker.FailWith = null;
        await logger.FlushAsync();
    }

    [Fact]
    public async Task ExplicitFlushFailure_IsThrownToTheCaller()
    {
        await using var logger = NewLogger(interval: Timeout.InfiniteTimeSpan);
        logger.LogMetric("a", 1);
        _tracker.FailWith = new IOException("down");

        await Assert.ThrowsAsync<IOException>(() => logger.FlushAsync());
        _tracker.FailWith = null;
    }

    [Fact]
    public async Task Dispose_FlushesAndEndsTheRun()
    {
        var logger = NewLogger(endStatus: RunStatus.Finished);
        logger.LogMetric("acc", 1);
        logger.LogParam("lr", "0.1");
        _time.Advance(TimeSpan.FromMilliseconds(500));

        await logger.DisposeAsync();

        var batch = Assert.Single(_tracker.Batches);
        Assert.Single(batch.Metrics);
        Assert.Single(batch.Params);
        Assert.Equal([(RunId, (RunStatus?)RunStatus.Finished, (long?)Start.AddMilliseconds(500).ToUnixTimeMilliseconds())], _tracker.Updates);
        Assert.Throws<ObjectDisposedException>(() => logger.LogMetric("acc", 2));
        await logger.DisposeAsync();
        Assert.Single(_tracker.Updates);
    }

    [Fact]
    public async Task Dispose_WithoutEndStatus_LeavesTheRunRunning()
    {
        var logger = NewLogger();
        logger.LogMetric("acc", 1);

        await logger.DisposeAsync();

        Assert.Single(_tracker.Batches);
        Assert.Empty(_tracker.Updates);
    }

    [Fact]
    public async Task Dispose_AfterBackgroundFailure_EndsTheRunThenThrows()
    {
        var logger = NewLogger();
        logger.EndStatus = RunStatus.Failed;
        var failure = new IOException("lost");
        _tracker.FailWith = failure;
        logger.LogMetric("acc", 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        _tracker.FailWith = null;

        var thrown = await Assert.ThrowsAsync<IOException>(() => logger.DisposeAsync().AsTask());

        Assert.Same(failure, thrown);
        Assert.Equal(RunStatus.Failed, Assert.Single(_tracker.Updates).Status);
    }

    [Fact]
    public async Task Timer_StopsAfterDispose()
    {
        var logger = NewLogger();
        await logger.DisposeAsync();

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Empty(_tracker.Batches);
    }

    [Theory]
    [InlineData("bad*key")]
    [InlineData("../up")]
    public async Task InvalidKey_ThrowsAtOnce_AndIsNotBuffered(string key)
    {
        await using var logger = NewLogger();

        var e = Assert.Throws<RegistryException>(() => logger.LogMetric(key, 1));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.Equal(0, logger.BufferedCount);
        Assert.Throws<RegistryException>(() => logger.LogParam("p", new string('x', 6001)));
    }

    [Fact]
    public void BadOptions_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RunLogger(_tracker, RunId, new RunLoggerOptions { MaxBufferedMetrics = 1001 }));
        Assert.Throws<RegistryException>(() => new RunLogger(_tracker, "not a run id"));
    }

    [Fact]
    public async Task ConcurrentLogging_LosesNothing()
    {
        var logger = NewLogger();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                logger.LogMetric("m" + t, i, i);
            }
        })));

        await logger.DisposeAsync();

        var metrics = _tracker.Batches.SelectMany(b => b.Metrics).ToList();
        Assert.Equal(20_000, metrics.Count);
        Assert.All(_tracker.Batches, b => Assert.InRange(b.Metrics.Count, 1, 1000));
        for (var t = 0; t < 4; t++)
        {
            Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), metrics.Where(m => m.Key == "m" + t).Select(m => m.Step));
        }
    }
}
