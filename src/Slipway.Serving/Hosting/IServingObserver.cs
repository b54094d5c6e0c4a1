namespace Slipway.Serving.Hosting;

/// <summary>
/// Sees every runtime call a <see cref="ModelHost"/> makes, for metrics: how many rows went into the call and how long
/// the runtime took. Called on the scoring thread right after the call returns, so implementations must be cheap,
/// thread-safe, and never throw or block.
/// </summary>
public interface IServingObserver
{
    /// <summary>Called after each successful runtime call (one per request run alone, one per merged batch).</summary>
    /// <param name="model">The served model name.</param>
    /// <param name="version">The version that ran.</param>
    /// <param name="rows">Rows in the call (the merged batch's rows for a merged run).</param>
    /// <param name="seconds">How long the runtime call took, in seconds.</param>
    void RuntimeCalled(string model, string version, long rows, double seconds);
}
