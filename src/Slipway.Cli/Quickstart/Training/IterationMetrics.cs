namespace Slipway.Cli.Quickstart.Training;

/// <summary>Held-out metrics of the boosted ensemble truncated after its first <paramref name="Trees"/> trees.</summary>
/// <param name="Trees">Number of trees used (the boosting iteration, from 1).</param>
/// <param name="LogLoss">Log-loss on the test split, as ML.NET's evaluator computes it.</param>
/// <param name="Auc">Area under the ROC curve on the test split (0.5 = guessing, 1 = perfect).</param>
/// <param name="Accuracy">Fraction of test rows classified right (a positive score is the positive class, as ML.NET decides).</param>
public sealed record IterationMetrics(int Trees, double LogLoss, double Auc, double Accuracy);
