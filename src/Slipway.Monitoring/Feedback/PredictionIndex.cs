using Slipway.Serving;
using Slipway.Serving.Tensors;

namespace Slipway.Monitoring.Feedback;

/// <summary>
/// The predictions of the most recent logged requests by request id, for feedback to join: bounded by count and by
/// age, the oldest forgotten first. Thread-safe (the monitor's writer adds, HTTP requests look up).
/// </summary>
internal sealed class PredictionIndex(int capacity, TimeSpan retention)
{
    private readonly Dictionary<string, Prediction> _byId = new(StringComparer.Ordinal);
    private readonly Queue<Prediction> _order = new();
    private readonly Lock _lock = new();

    public void Add(string requestId, ModelContract contract, Tensor output, FeedbackTask task, long rows, DateTimeOffset at)
    {
        var prediction = new Prediction(requestId, contract.Name, contract.Version, output, task, rows, at);
        lock (_lock)
        {
            Evict(at);
            if (_byId.TryAdd(requestId, prediction))
            {
                _order.Enqueue(prediction);
                while (_byId.Count > capacity)
                {
                    _byId.Remove(_order.Dequeue().RequestId);
                }
            }
        }
    }

    /// <summary>The prediction for <paramref name="requestId"/> and marks it answered; null when unknown or expired.</summary>
    public Prediction? Find(string requestId, DateTimeOffset now)
    {
        lock (_lock)
        {
            Evict(now);
            return _byId.GetValueOrDefault(requestId);
        }
    }

    private void Evict(DateTimeOffset now)
    {
        while (_order.Count > 0 && now - _order.Peek().At > retention)
        {
            var old = _order.Dequeue();
            _byId.Remove(old.RequestId);
        }
    }

    /// <summary>One logged prediction waiting for feedback.</summary>
    internal sealed class Prediction(string requestId, string model, string version, Tensor output, FeedbackTask task, long rows, DateTimeOffset at)
    {
        public string RequestId { get; } = requestId;

        public string Model { get; } = model;

        public string Version { get; } = version;

        public Tensor Output { get; } = output;

        public FeedbackTask Task { get; } = task;

        public long Rows { get; } = rows;

        public DateTimeOffset At { get; } = at;

        /// <summary>Set once feedback was counted, so a second submission is refused rather than counted twice (guarded by the index lock holder's caller).</summary>
        public int Answered;
    }
}
