using Slipway.Serving.Hosting;

namespace Slipway.Server.Serving;

/// <summary>
/// Starts the model host with the application and, on shutdown, stops it before Kestrel stops: new scoring requests
/// get 503 while those in flight finish (bounded by the host's shutdown timeout).
/// </summary>
internal sealed partial class ServingLifetime(ModelHost host) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => host.StopAsync(cancellationToken);

    /// <summary>Logs a host event: a version live (information) or rejected (error, with the reason).</summary>
    public static void Log(ILogger logger, ModelHostEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Variant != TrafficVariant.Stable)
        {
            var role = ServingMetrics.VariantLabel(e.Variant);
            if (e.Live)
            {
                LogSplitLive(logger, e.Model, role, e.Version);
            }
            else
            {
                LogSplitRejected(logger, e.Model, role, e.Version, e.Message ?? string.Empty, e.Exception);
            }
        }
        else if (e.Live)
        {
            LogLive(logger, e.Model, e.Version);
        }
        else
        {
            LogRejected(logger, e.Model, e.Version, e.Message ?? string.Empty, e.Exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} {Role} version {Version} is loaded and takes its share of traffic")]
    private static partial void LogSplitLive(ILogger logger, string model, string role, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} {Role} version {Version} was rejected and gets no traffic: {Reason}")]
    private static partial void LogSplitRejected(ILogger logger, string model, string role, string version, string reason, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} is live")]
    private static partial void LogLive(ILogger logger, string model, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} was rejected and never went live: {Reason}")]
    private static partial void LogRejected(ILogger logger, string model, string version, string reason, Exception? exception);
}
