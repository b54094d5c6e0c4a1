using System.Diagnostics;
using Slipway.Monitoring.Inference;
using Slipway.Serving;
using Slipway.Serving.Hosting;
using Slipway.Serving.Protocols.Mlflow;
using Slipway.Serving.Protocols.V2;
using Slipway.Server.Monitoring;

namespace Slipway.Server.Serving;

/// <summary>
/// Scores mirrored requests on an alias's shadow version in the background, after the caller's answer was sent: the
/// request body is bound again against the shadow's own contract, scored, compared with the stable answer, counted,
/// logged to the inference log under the shadow's version (when the model is monitored) and discarded. At most
/// <see cref="MaxConcurrent"/> shadow runs at once; a mirror that finds them all busy is dropped and counted, never
/// queued. Nothing here can reach the caller: every failure is caught, counted and logged.
/// </summary>
internal sealed partial class ShadowMirror(ServingMetrics metrics, ServingMonitoring monitoring, ILogger<ShadowMirror> logger, ITrafficObserver? observer = null)
{
    /// <summary>Shadow runs at once, over all models; more are dropped.</summary>
    public const int MaxConcurrent = 4;

    /// <summary>How long one shadow run may take before it is abandoned (and counted as an error).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private int running;
    private long lastWarnedSplit;

    /// <summary>Shadow runs in progress now.</summary>
    public int Running => Volatile.Read(ref running);

    /// <summary>
    /// Mirrors one answered request to <paramref name="split"/>'s shadow. Returns at once: the shadow runs on the thread
    /// pool. <paramref name="body"/> is copied unless <paramref name="owned"/> says it is already the mirror's own.
    /// </summary>
    public void Mirror(
        ServedModel model,
        TrafficSplit split,
        ReadOnlyMemory<byte> body,
        bool owned,
        string? contentType,
        string? inferenceHeaderContentLength,
        bool v2,
        string requestId,
        InferenceResult stable)
    {
        if (Interlocked.Increment(ref running) > MaxConcurrent)
        {
            Interlocked.Decrement(ref running);
            Report(model, split, split.ShadowVersion ?? string.Empty, ShadowResult.Dropped);
            return;
        }

        var copy = owned ? body : body.ToArray();
        _ = Task.Run(() => RunAsync(model, split, copy, contentType, inferenceHeaderContentLength, v2, requestId, stable), CancellationToken.None);
    }

    private async Task RunAsync(
        ServedModel model,
        TrafficSplit split,
        ReadOnlyMemory<byte> body,
        string? contentType,
        string? inferenceHeaderContentLength,
        bool v2,
        string requestId,
        InferenceResult stable)
    {
        var started = Stopwatch.GetTimestamp();
        var version = split.ShadowVersion ?? string.Empty;
        try
        {
            using var lease = model.TryAcquireShadow(split);
            if (lease is null)
            {
                // The split ended (or the host is stopping) since the draw: nothing to mirror to.
                Report(model, split, version, ShadowResult.Dropped);
                return;
            }

            version = lease.Contract.Version;
            var request = v2
                ? V2RequestReader.Read(body.Span, contentType, inferenceHeaderContentLength, lease.Contract).Request
                : MlflowRequestReader.Parse(body, contentType, lease.Contract).Request;
            using var timeout = new CancellationTokenSource(Timeout);
            var result = await lease.RunAsync(request, timeout.Token).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var comparisons = ShadowComparer.Compare(stable.Outputs, result.Outputs);
            Report(model, split, version, new ShadowResult(ShadowOutcome.Ok, elapsed.TotalSeconds, comparisons));
            LogCompared(logger, model.Name, version, requestId, comparisons.Count);
            if (monitoring.Monitor is { } monitor && model.Options.Monitored)
            {
                monitor.TryRecord(new InferenceRecord(
                    result.Contract,
                    model.Options.Uri.Alias,
                    requestId,
                    v2 ? ServingMetrics.V2 : ServingMetrics.Mlflow,
                    monitoring.Time.GetUtcNow(),
                    elapsed.TotalSeconds,
                    request.Inputs,
                    result.Outputs,
                    request.Rows));
            }
        }
#pragma warning disable CA1031 // A shadow's failure of any kind is its own: counted and logged, never the caller's.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Report(model, split, version, new ShadowResult(ShadowOutcome.Error, Stopwatch.GetElapsedTime(started).TotalSeconds, [], e.Message));

            // One warning per split says the shadow fails; the rest are debug lines (a broken shadow fails every mirror).
            if (Interlocked.Exchange(ref lastWarnedSplit, split.PromotionId) != split.PromotionId)
            {
                LogFirstFailure(logger, model.Name, version, requestId, e.Message);
            }
            else
            {
                LogFailure(logger, model.Name, version, requestId, e.Message);
            }
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }

    private void Report(ServedModel model, TrafficSplit split, string version, ShadowResult result)
    {
        metrics.RecordShadow(model.Name, version, model.Alias, result);
        observer?.ShadowScored(model, split.PromotionId, result);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shadow {Model} version {Version} scored request {RequestId}; {Outputs} outputs compared")]
    private static partial void LogCompared(ILogger logger, string model, string version, string requestId, int outputs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow {Model} version {Version} failed on mirrored request {RequestId} (callers are not affected; further failures are logged at debug level): {Reason}")]
    private static partial void LogFirstFailure(ILogger logger, string model, string version, string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shadow {Model} version {Version} failed on mirrored request {RequestId}: {Reason}")]
    private static partial void LogFailure(ILogger logger, string model, string version, string requestId, string reason);
}
