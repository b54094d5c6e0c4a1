using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Slipway.Cli.Quickstart.Training;

/// <summary>
/// How a boosted tree ensemble improved tree by tree: scores the held-out rows with the first k trees for every k and
/// evaluates each truncated model with ML.NET's own binary evaluator (so the last point equals the final metrics).
/// FastTree reports no per-iteration metrics through its public API; its trees, weights and calibrator are public, and
/// walking them once per row while adding one tree at a time costs far less than training.
/// </summary>
public static class BoostingCurve
{
    /// <summary>The metrics after each tree, for trees 1 to the ensemble's size.</summary>
    /// <param name="ml">The ML.NET context (for the evaluator).</param>
    /// <param name="ensemble">The trained trees.</param>
    /// <param name="calibrator">The trained Platt calibrator that turns a score into a probability.</param>
    /// <param name="features">The held-out rows' feature vectors, as the trees see them (after featurization).</param>
    /// <param name="labels">The held-out rows' labels.</param>
    public static IReadOnlyList<IterationMetrics> Compute(
        MLContext ml, RegressionTreeEnsemble ensemble, PlattCalibrator calibrator, IReadOnlyList<float[]> features, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(calibrator);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count != labels.Count)
        {
            throw new ArgumentException($"{features.Count} feature rows but {labels.Count} labels.", nameof(labels));
        }

        var scores = Enumerable.Repeat(ensemble.Bias, features.Count).ToArray();
        var curve = new List<IterationMetrics>(ensemble.Trees.Count);
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            var weight = ensemble.TreeWeights[t];
            for (var row = 0; row < features.Count; row++)
            {
                scores[row] += weight * tree.LeafValues[Leaf(tree, features[row])];
            }

            var scored = new ScoredRow[features.Count];
            for (var row = 0; row < features.Count; row++)
            {
                var score = (float)scores[row];
                scored[row] = new ScoredRow { Label = labels[row], Score = score, Probability = (float)calibrator.PredictProbability(score), PredictedLabel = score > 0 };
            }

            var metrics = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(scored));
            curve.Add(new IterationMetrics(t + 1, metrics.LogLoss, metrics.AreaUnderRocCurve, metrics.Accuracy));
        }

        return curve;
    }

    /// <summary>The leaf a row falls into: at each node, feature ≤ threshold goes left, as FastTree splits.</summary>
    public static int Leaf(RegressionTree tree, float[] features)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(features);
        if (tree.NumberOfNodes == 0)
        {
            return 0;
        }

        // Children ≥ 0 are nodes; a negative child c is the leaf ~c.
        var node = 0;
        while (node >= 0)
        {
            node = features[tree.NumericalSplitFeatureIndexes[node]] <= tree.NumericalSplitThresholds[node]
                ? tree.LeftChild[node]
                : tree.RightChild[node];
        }

        return ~node;
    }

    /// <summary>The held-out rows' feature vectors (dense) and labels from a featurized view.</summary>
    public static (IReadOnlyList<float[]> Features, IReadOnlyList<bool> Labels) Read(IDataView featurized, string featureColumn, string labelColumn)
    {
        ArgumentNullException.ThrowIfNull(featurized);
        var features = featurized.GetColumn<VBuffer<float>>(featureColumn).Select(v => v.DenseValues().ToArray()).ToList();
        var labels = featurized.GetColumn<bool>(labelColumn).ToList();
        return (features, labels);
    }
}
