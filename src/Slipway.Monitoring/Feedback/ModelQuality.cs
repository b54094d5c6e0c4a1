namespace Slipway.Monitoring.Feedback;

/// <summary>Live quality of one model version from the feedback received so far (since the monitor started).</summary>
/// <param name="Model">The model name.</param>
/// <param name="Version">The version.</param>
/// <param name="Task">Classification or regression (from the output compared).</param>
/// <param name="Count">Rows with feedback.</param>
/// <param name="Correct">Rows predicted correctly (classification).</param>
/// <param name="AbsoluteErrorSum">Sum of absolute errors (regression).</param>
/// <param name="SquaredErrorSum">Sum of squared errors (regression).</param>
public sealed record ModelQuality(string Model, string Version, FeedbackTask Task, long Count, long Correct, double AbsoluteErrorSum, double SquaredErrorSum)
{
    /// <summary>Correct / Count; NaN without feedback.</summary>
    public double Accuracy => Count == 0 ? double.NaN : (double)Correct / Count;

    /// <summary>Mean absolute error; NaN without feedback.</summary>
    public double MeanAbsoluteError => Count == 0 ? double.NaN : AbsoluteErrorSum / Count;

    /// <summary>Root mean squared error; NaN without feedback.</summary>
    public double RootMeanSquaredError => Count == 0 ? double.NaN : Math.Sqrt(SquaredErrorSum / Count);
}
