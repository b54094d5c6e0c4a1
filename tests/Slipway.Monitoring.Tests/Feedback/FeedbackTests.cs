using Microsoft.Extensions.Time.Testing;
using Slipway.Monitoring.Feedback;
using Slipway.Monitoring.Inference;
using Slipway.Monitoring.Tests.Inference;
using Slipway.Testing;

namespace Slipway.Monitoring.Tests.Feedback;

public sealed class FeedbackTests
{
    [Fact]
    public async Task Classification_feedback_counts_correct_rows_per_version_and_is_logged()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(MonitorFixtures.Start);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock });
        // Seed 1, three rows: labels 1, 2, 0.
        monitor.TryRecord(MonitorFixtures.IrisRecord("req-1", MonitorFixtures.Start, rows: 3, seed: 1));
        await monitor.FlushAsync();

        var result = monitor.SubmitFeedback("req-1", [FeedbackValue.FromNumber(1), FeedbackValue.FromNumber(0), FeedbackValue.FromText("0")]);

        Assert.Equal(FeedbackStatus.Accepted, result.Status);
        Assert.Equal(FeedbackTask.Classification, result.Task);
        Assert.Equal("label", result.Output);
        Assert.Equal(3, result.Rows);
        Assert.Equal(2, result.Correct);
        var quality = Assert.Single(monitor.GetQuality());
        Assert.Equal(("iris", "1", 3L, 2L), (quality.Model, quality.Version, quality.Count, quality.Correct));
        Assert.Equal(2.0 / 3, quality.Accuracy, 12);

        await monitor.FlushAsync();
        var files = MonitorFixtures.Files(dir.Path, MonitoringPaths.Feedback);
        Assert.Equal(["model=iris/date=2026-11-26/10-v1-0001.parquet"], files);
        var (_, columns, reader) = await MonitorFixtures.ReadAsync(dir.Combine(MonitoringPaths.Feedback, files[0]));
        await using (reader)
        {
            Assert.Equal(new object?[] { "req-1", "req-1", "req-1" }, columns["request_id"]);
            Assert.Equal(new object?[] { 0, 1, 2 }, columns["row"]);
            Assert.Equal(new object?[] { "1", "0", "0" }, columns["actual"]);
            Assert.Equal(new object?[] { "1", "2", "0" }, columns["predicted"]);
            Assert.Equal(new object?[] { true, false, true }, columns["correct"]);
        }
    }

    [Fact]
    public async Task Regression_feedback_sums_absolute_and_squared_errors()
    {
        using var dir = new TempDirectory();
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path });
        monitor.TryRecord(MonitorFixtures.MixedRecord("m1", MonitorFixtures.Start, [1, 2], [1, 2], ["a", "b"], [true, true], [10.0, 20.0]));
        await monitor.FlushAsync();

        var result = monitor.SubmitFeedback("m1", [FeedbackValue.FromNumber(12.5), FeedbackValue.FromNumber(19)]);

        Assert.Equal(FeedbackStatus.Accepted, result.Status);
        Assert.Equal(FeedbackTask.Regression, result.Task);
        Assert.Equal(3.5, result.AbsoluteError, 12);
        Assert.Equal(7.25, result.SquaredError, 12);
        var quality = Assert.Single(monitor.GetQuality());
        Assert.Equal(1.75, quality.MeanAbsoluteError, 12);
        Assert.Equal(Math.Sqrt(7.25 / 2), quality.RootMeanSquaredError, 12);
    }

    [Fact]
    public async Task Unknown_ids_wrong_lengths_bad_values_and_repeats_are_refused_naming_the_field()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(MonitorFixtures.Start);
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, TimeProvider = clock, FeedbackRetention = TimeSpan.FromHours(1) });
        monitor.TryRecord(MonitorFixtures.IrisRecord("two-rows", MonitorFixtures.Start, rows: 2));
        monitor.TryRecord(MonitorFixtures.MixedRecord("values", MonitorFixtures.Start, [1], [1], ["a"], [true], [10.0]));
        await monitor.FlushAsync();

        var unknown = monitor.SubmitFeedback("nope", [FeedbackValue.FromNumber(1)]);
        Assert.Equal(FeedbackStatus.UnknownRequestId, unknown.Status);
        Assert.Contains("request_id", unknown.Message, StringComparison.Ordinal);

        var wrongLength = monitor.SubmitFeedback("two-rows", [FeedbackValue.FromNumber(1)]);
        Assert.Equal(FeedbackStatus.Invalid, wrongLength.Status);
        Assert.StartsWith("actuals:", wrongLength.Message, StringComparison.Ordinal);
        Assert.Contains("2 row(s)", wrongLength.Message, StringComparison.Ordinal);

        var text = monitor.SubmitFeedback("values", [FeedbackValue.FromText("high")]);
        Assert.Equal(FeedbackStatus.Invalid, text.Status);
        Assert.StartsWith("actuals[0]:", text.Message, StringComparison.Ordinal);

        Assert.Equal(FeedbackStatus.Accepted, monitor.SubmitFeedback("values", [FeedbackValue.FromNumber(9)]).Status);
        Assert.Equal(FeedbackStatus.Duplicate, monitor.SubmitFeedback("values", [FeedbackValue.FromNumber(9)]).Status);

        // Past the retention the prediction is forgotten.
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(FeedbackStatus.UnknownRequestId, monitor.SubmitFeedback("two-rows", [FeedbackValue.FromNumber(1), FeedbackValue.FromNumber(1)]).Status);
        Assert.Equal(1, Assert.Single(monitor.GetQuality()).Count);
    }

    [Fact]
    public async Task The_index_forgets_the_oldest_requests_beyond_its_capacity()
    {
        using var dir = new TempDirectory();
        await using var monitor = new InferenceMonitor(new InferenceMonitorOptions { Directory = dir.Path, FeedbackRequests = 2 });
        monitor.TryRecord(MonitorFixtures.IrisRecord("r1", MonitorFixtures.Start));
        monitor.TryRecord(MonitorFixtures.IrisRecord("r2", MonitorFixtures.Start));
        monitor.TryRecord(MonitorFixtures.IrisRecord("r3", MonitorFixtures.Start));
        await monitor.FlushAsync();

        Assert.Equal(FeedbackStatus.UnknownRequestId, monitor.SubmitFeedback("r1", [FeedbackValue.FromNumber(0)]).Status);
        Assert.Equal(FeedbackStatus.Accepted, monitor.SubmitFeedback("r3", [FeedbackValue.FromNumber(0)]).Status);
    }
}
