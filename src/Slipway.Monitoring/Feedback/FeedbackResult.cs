namespace Slipway.Monitoring.Feedback;

/// <summary>The outcome of <see cref="Inference.InferenceMonitor.SubmitFeedback"/>.</summary>
/// <param name="Status">Accepted, or why not.</param>
/// <param name="Message">Why it was refused (names the field, e.g. <c>actuals</c>); null when accepted.</param>
/// <param name="Model">The model that made the prediction; null when the request id is unknown.</param>
/// <param name="Version">The version that made the prediction; null when the request id is unknown.</param>
/// <param name="Output">The output compared with the actuals; null when none was.</param>
/// <param name="Task">Classification or regression.</param>
/// <param name="Rows">Rows compared.</param>
/// <param name="Correct">Rows predicted correctly (classification).</param>
/// <param name="AbsoluteError">The sum of absolute errors over the rows (regression).</param>
/// <param name="SquaredError">The sum of squared errors over the rows (regression).</param>
public sealed record FeedbackResult(
    FeedbackStatus Status,
    string? Message,
    string? Model,
    string? Version,
    string? Output,
    FeedbackTask Task,
    int Rows,
    int Correct,
    double AbsoluteError,
    double SquaredError)
{
    /// <summary>A refusal with its reason.</summary>
    public static FeedbackResult Refused(FeedbackStatus status, string message, string? model = null, string? version = null) =>
        new(status, message, model, version, null, FeedbackTask.Classification, 0, 0, 0, 0);
}
