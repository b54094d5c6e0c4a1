using Slipway.Deploy.Canary;

namespace Slipway.Server.Serving;

/// <summary>Starts the canary controller with the application and stops it on shutdown; logs its decisions.</summary>
internal sealed partial class CanaryLifetime(CanaryController controller) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        controller.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => controller.DisposeAsync().AsTask();

    /// <summary>Logs a decision: concluded (warning for a rollback), decided elsewhere, or failed to record (retried).</summary>
    public static void Log(ILogger logger, CanaryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var decision = e.Decision == CanaryDecision.Promote ? "promoted" : "rolled back";
        switch (e.Outcome)
        {
            case CanaryEventOutcome.Concluded when e.Decision == CanaryDecision.RollBack:
                LogRolledBack(logger, e.Model, e.Alias, e.PromotionId, e.Reason);
                break;
            case CanaryEventOutcome.Concluded:
                LogPromoted(logger, e.Model, e.Alias, e.PromotionId, e.Reason);
                break;
            case CanaryEventOutcome.DecidedElsewhere:
                LogElsewhere(logger, e.Model, e.Alias, e.PromotionId, decision);
                break;
            default:
                LogFailed(logger, e.Model, e.Alias, e.PromotionId, decision, e.Exception);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Canary of {Model}@{Alias} (promotion {PromotionId}) promoted: {Reason}")]
    private static partial void LogPromoted(ILogger logger, string model, string alias, long promotionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary of {Model}@{Alias} (promotion {PromotionId}) rolled back: {Reason}")]
    private static partial void LogRolledBack(ILogger logger, string model, string alias, long promotionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Canary of {Model}@{Alias} (promotion {PromotionId}) would be {Decision} here, but it was already decided elsewhere")]
    private static partial void LogElsewhere(ILogger logger, string model, string alias, long promotionId, string decision);

    [LoggerMessage(Level = LogLevel.Error, Message = "Canary of {Model}@{Alias} (promotion {PromotionId}) should be {Decision}, but the decision could not be recorded; retrying")]
    private static partial void LogFailed(ILogger logger, string model, string alias, long promotionId, string decision, Exception? exception);
}
