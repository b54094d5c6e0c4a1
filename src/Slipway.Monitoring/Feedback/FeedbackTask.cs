namespace Slipway.Monitoring.Feedback;

/// <summary>How actuals are compared with predictions.</summary>
public enum FeedbackTask
{
    /// <summary>Labels: each row is correct or not (accuracy).</summary>
    Classification,

    /// <summary>Values: absolute and squared error per row (MAE, RMSE).</summary>
    Regression,
}
