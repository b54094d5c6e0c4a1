namespace Slipway.Monitoring.Feedback;

/// <summary>What became of one feedback submission.</summary>
public enum FeedbackStatus
{
    /// <summary>Joined with the logged prediction and counted.</summary>
    Accepted,

    /// <summary>No recent logged request has that id (never seen, not sampled, or older than the feedback window): HTTP 404.</summary>
    UnknownRequestId,

    /// <summary>The actuals do not fit the prediction (wrong count or type): HTTP 400; the message names the field.</summary>
    Invalid,

    /// <summary>Feedback for this request id was already counted: HTTP 409.</summary>
    Duplicate,

    /// <summary>The model has no output feedback can be compared with (no label, integer, text or float output): HTTP 422.</summary>
    NotComparable,
}
