using Microsoft.ML;
using Microsoft.ML.Data;

namespace Slipway.Bench;

/// <summary>
/// Builds the large tree ensemble of the batching benchmark: an ML.NET FastTree regression with TREES trees on 10
/// synthetic features (fixed seed), exported to ONNX with one input <c>Features</c> of shape <c>[-1, 10]</c> and one output, the score.
/// </summary>
public static class ForestBuilder
{
    /// <summary>Arguments: OUT.onnx TREES.</summary>
    public static int Run(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], out var trees) || trees < 1)
        {
            Console.Error.WriteLine("usage: make-forest OUT.onnx TREES");
            return 2;
        }

        var random = new Random(7);
        var rows = new List<Row>(20_000);
        for (var i = 0; i < 20_000; i++)
        {
            var features = new float[10];
            for (var j = 0; j < features.Length; j++)
            {
                features[j] = (float)random.NextDouble();
            }

            var label = (features[0] * 3) + MathF.Sin(features[1] * 6) + (features[2] * features[3]) + ((float)random.NextDouble() * 0.1f);
            rows.Add(new Row { Features = features, Label = label });
        }

        var ml = new MLContext(seed: 7);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Regression.Trainers.FastTree(numberOfTrees: trees, numberOfLeaves: 20).Fit(data);
        // Exported from a view with only the features and asked for the score only: otherwise the graph also takes the
        // training label as an input and passes every column through as an output.
        var inputs = ml.Data.LoadFromEnumerable(rows.Select(r => new FeatureRow { Features = r.Features }));
        using var output = File.Create(args[0]);
        ml.Model.ConvertToOnnx(model, inputs, output, "Score");
        return 0;
    }

    private sealed class FeatureRow
    {
        [VectorType(10)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Row
    {
        [VectorType(10)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
