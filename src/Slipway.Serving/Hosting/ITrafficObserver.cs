namespace Slipway.Serving.Hosting;

/// <summary>
/// Sees the requests a traffic split routed and the shadow's mirrored runs, for the canary controller's judgement.
/// Called on the request path, so implementations must be cheap (counters, no locks held long), thread-safe, and never
/// throw or block.
/// </summary>
public interface ITrafficObserver
{
    /// <summary>Called once per scoring request answered while a split was running (<see cref="ModelLease.SplitId"/> is not 0).</summary>
    /// <param name="model">The served model.</param>
    /// <param name="splitId">The split that routed the request (its promotion id).</param>
    /// <param name="variant"><see cref="TrafficVariant.Stable"/> or <see cref="TrafficVariant.Canary"/>.</param>
    /// <param name="status">The HTTP status sent; anything but 2xx is an error.</param>
    /// <param name="seconds">How long the answer took, in seconds.</param>
    void RequestAnswered(ServedModel model, long splitId, TrafficVariant variant, int status, double seconds);

    /// <summary>Called once per mirrored request, after the shadow scored it, failed, or was skipped because it was busy.</summary>
    /// <param name="model">The served model.</param>
    /// <param name="splitId">The split that mirrored the request.</param>
    /// <param name="result">What the shadow did and how its answer compared with the stable one.</param>
    void ShadowScored(ServedModel model, long splitId, ShadowResult result);
}
