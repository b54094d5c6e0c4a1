namespace Slipway.Monitoring.Feedback;

/// <summary>One row of feedback joined with its prediction, queued for the feedback log.</summary>
internal sealed record FeedbackRow(
    string RequestId,
    DateTimeOffset Timestamp,
    string Model,
    string Version,
    FeedbackTask Task,
    int Row,
    FeedbackValue Actual,
    string? PredictedText,
    double PredictedNumber,
    bool Correct);
