using Slipway.Monitoring.Feedback;
using Slipway.Monitoring.InferenceLog;

namespace Slipway.Monitoring.Inference;

/// <summary>Ground truth: feedback joins logged predictions by request id and feeds live quality per version.</summary>
public sealed partial class InferenceMonitor
{
    private readonly Lock _qualityLock = new();
    private readonly Dictionary<(string Model, string Version), QualityState> _quality = [];

    /// <summary>
    /// Joins <paramref name="actuals"/> (one per row of the request) with the prediction logged for
    /// <paramref name="requestId"/> and counts it in the version's live quality; the joined rows go to the feedback log.
    /// Requests not recorded (sampled out, dropped), older than <see cref="InferenceMonitorOptions.FeedbackRetention"/>
    /// or beyond the last <see cref="InferenceMonitorOptions.FeedbackRequests"/> are unknown.
    /// </summary>
    public FeedbackResult SubmitFeedback(string requestId, IReadOnlyList<FeedbackValue> actuals)
    {
        ArgumentNullException.ThrowIfNull(actuals);
        if (string.IsNullOrEmpty(requestId))
        {
            return FeedbackResult.Refused(FeedbackStatus.Invalid, "request_id: required.");
        }

        var now = _options.TimeProvider.GetUtcNow();
        var prediction = _predictions.Find(requestId, now);
        if (prediction is null)
        {
            return FeedbackResult.Refused(FeedbackStatus.UnknownRequestId, $"request_id: no recent logged prediction has id '{requestId}'.");
        }

        if (actuals.Count != prediction.Rows)
        {
            return FeedbackResult.Refused(
                FeedbackStatus.Invalid,
                $"actuals: the request had {prediction.Rows} row(s), so {prediction.Rows} actual value(s) are needed, not {actuals.Count}.",
                prediction.Model,
                prediction.Version);
        }

        if (prediction.Task == FeedbackTask.Regression)
        {
            for (var i = 0; i < actuals.Count; i++)
            {
                if (!actuals[i].IsNumber || !double.IsFinite(actuals[i].Number))
                {
                    return FeedbackResult.Refused(
                        FeedbackStatus.Invalid,
                        $"actuals[{i}]: output '{prediction.Output.Name}' is a value, so the actual must be a finite number, not '{actuals[i]}'.",
                        prediction.Model,
                        prediction.Version);
                }
            }
        }

        if (Interlocked.Exchange(ref prediction.Answered, 1) != 0)
        {
            return FeedbackResult.Refused(FeedbackStatus.Duplicate, $"request_id: feedback for '{requestId}' was already received.", prediction.Model, prediction.Version);
        }

        var predicted = prediction.Output.Data;
        var correct = 0;
        double absolute = 0, squared = 0;
        for (var row = 0; row < actuals.Count; row++)
        {
            var actual = actuals[row];
            bool isCorrect = false;
            double number = double.NaN;
            if (prediction.Task == FeedbackTask.Classification)
            {
                isCorrect = FeedbackTarget.Matches(predicted, row, actual);
                correct += isCorrect ? 1 : 0;
            }
            else
            {
                number = FeedbackTarget.Number(predicted, row);
                var error = actual.Number - number;
                absolute += Math.Abs(error);
                squared += error * error;
            }

            var logRow = new FeedbackRow(requestId, now, prediction.Model, prediction.Version, prediction.Task, row, actual, FeedbackTarget.Text(predicted, row), number, isCorrect);
            if (!TryEnqueue(logRow))
            {
                Interlocked.Increment(ref _dropped);
            }
        }

        lock (_qualityLock)
        {
            var key = (prediction.Model, prediction.Version);
            if (!_quality.TryGetValue(key, out var state))
            {
                state = new QualityState(prediction.Task);
                _quality.Add(key, state);
            }

            state.Count += actuals.Count;
            state.Correct += correct;
            state.AbsoluteErrorSum += absolute;
            state.SquaredErrorSum += squared;
        }

        return new FeedbackResult(FeedbackStatus.Accepted, null, prediction.Model, prediction.Version, prediction.Output.Name, prediction.Task, actuals.Count, correct, absolute, squared);
    }

    /// <summary>Live quality per model version from the feedback counted since the monitor started.</summary>
    public IReadOnlyList<ModelQuality> GetQuality()
    {
        lock (_qualityLock)
        {
            var list = new List<ModelQuality>(_quality.Count);
            foreach (var ((model, version), state) in _quality)
            {
                list.Add(new ModelQuality(model, version, state.Task, state.Count, state.Correct, state.AbsoluteErrorSum, state.SquaredErrorSum));
            }

            list.Sort((a, b) => (string.CompareOrdinal(a.Model, b.Model) is var c && c != 0) ? c : string.CompareOrdinal(a.Version, b.Version));
            return list;
        }
    }

    private void RememberPrediction(InferenceRecord record, DateTimeOffset now)
    {
        if (_options.FeedbackRequests <= 0 || FeedbackTarget.For(record.Contract) is not { } target)
        {
            return;
        }

        var output = InferenceLogLayout.Find(record.Outputs, target.Output.Name, 0);
        if (output is not null && output.Data.Length == record.Rows)
        {
            _predictions.Add(record.RequestId, record.Contract, output, target.Task, record.Rows, now);
        }
    }

    private async Task LogFeedbackAsync(FeedbackRow row)
    {
        if (!_feedbackLogs.TryGetValue((row.Model, row.Version), out var log))
        {
            log = new RotatingParquetFile(_feedbackDirectory, row.Model);
            _feedbackLogs.Add((row.Model, row.Version), log);
        }

        await WithFailureCountAsync(log, async () =>
        {
            var now = _options.TimeProvider.GetUtcNow();
            // The task is part of the key: a version change that turns labels into values starts a new file.
            var key = row.Version + (row.Task == FeedbackTask.Classification ? "" : "-regression");
            var events = await log.PrepareAsync(key, HourOf(row.Timestamp), () => new FeedbackLogLayout(row.Task), now, CancellationToken.None).ConfigureAwait(false);
            ((FeedbackLogLayout)log.Layout!).Append(row);
            return events + await log.MaybeWriteAsync(_options.RowGroupRows, _options.FlushInterval, now, CancellationToken.None).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private sealed class QualityState(FeedbackTask task)
    {
        public FeedbackTask Task { get; } = task;

        public long Count { get; set; }

        public long Correct { get; set; }

        public double AbsoluteErrorSum { get; set; }

        public double SquaredErrorSum { get; set; }
    }
}
