namespace Slipway.Cli.Quickstart.Training;

/// <summary>One held-out row scored by a truncated ensemble, in the shape ML.NET's binary evaluator reads.</summary>
#pragma warning disable CA1515 // ML.NET builds its row mapping by reflection and needs a public type.
public sealed class ScoredRow
#pragma warning restore CA1515
{
    /// <summary>The true class.</summary>
    public bool Label { get; set; }

    /// <summary>The raw ensemble score (sum of tree outputs plus bias).</summary>
    public float Score { get; set; }

    /// <summary>The calibrated probability of the positive class.</summary>
    public float Probability { get; set; }

    /// <summary>The predicted class: a positive score, as ML.NET's binary scorer decides.</summary>
    public bool PredictedLabel { get; set; }
}
