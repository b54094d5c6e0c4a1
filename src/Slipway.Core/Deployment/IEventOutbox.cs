namespace Slipway.Core.Deployment;

/// <summary>
/// The durable outbox of platform events that webhooks deliver. An event is stored before this returns; delivery
/// happens later, from whichever server or serving process runs the dispatcher, and survives restarts.
/// </summary>
public interface IEventOutbox
{
    /// <summary>Stores one event and returns its id.</summary>
    /// <param name="eventType">Entity and action, e.g. <c>model_version.created</c> or <c>drift.alert</c>.</param>
    /// <param name="dataJson">The event's <c>data</c> object as JSON.</param>
    /// <param name="timestamp">Milliseconds since the Unix epoch.</param>
    /// <param name="cancellationToken">Cancels storing.</param>
    Task<long> PublishAsync(string eventType, string dataJson, long timestamp, CancellationToken cancellationToken);
}
