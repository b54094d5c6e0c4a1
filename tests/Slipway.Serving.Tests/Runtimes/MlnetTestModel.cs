using Microsoft.ML;
using Microsoft.ML.Data;

namespace Slipway.Serving.Tests.Runtimes;

/// <summary>A small real ML.NET model (a float and a text column, binary logistic regression), its ONNX export and its own predictions.</summary>
public static class MlnetTestModel
{
    public static readonly string[] Colors = ["red", "green", "blue"];

    public sealed class Row
    {
        public float Size { get; set; }

        public string Color { get; set; } = "";

        public bool Label { get; set; }
    }

    public sealed class Features
    {
        public float Size { get; set; }

        public string Color { get; set; } = "";
    }

    public sealed class Prediction
    {
        public bool PredictedLabel { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }

        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>Rows to score: sizes and colours the training data has, plus a colour it never saw.</summary>
    public static Features[] Samples() =>
    [
        new() { Size = 0.1f, Color = "red" },
        new() { Size = 0.9f, Color = "green" },
        new() { Size = 0.5f, Color = "blue" },
        new() { Size = 0.3f, Color = "purple" },
        new() { Size = 0.7f, Color = "red" },
    ];

    /// <summary>Trains the model and writes <c>model.zip</c> (saved with the feature schema) and <c>model.onnx</c> into <paramref name="directory"/>.</summary>
    public static (string Zip, string Onnx) Build(string directory)
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 200)
            .Select(i => new Row { Size = i % 17 / 17f, Color = Colors[i % 3], Label = i % 17 > 8 || i % 3 == 0 })
            .ToList();
        var pipeline = ml.Transforms.Categorical.OneHotEncoding("ColorHot", "Color")
            .Append(ml.Transforms.Concatenate("Features", "Size", "ColorHot"))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 20));
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(rows));

        var features = ml.Data.LoadFromEnumerable(rows.Select(r => new Features { Size = r.Size, Color = r.Color }));
        var zip = Path.Combine(directory, "model.zip");
        var onnx = Path.Combine(directory, "model.onnx");
        ml.Model.Save(model, features.Schema, zip);
        using (var stream = File.Create(onnx))
        {
            ml.Model.ConvertToOnnx(model, features, stream, "PredictedLabel", "Score", "Probability");
        }

        return (zip, onnx);
    }

    /// <summary>What ML.NET's own typed API predicts for <paramref name="samples"/> with the saved model.</summary>
    public static Prediction[] Predict(string zip, Features[] samples)
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(zip, out _);
        return ml.Data.CreateEnumerable<Prediction>(model.Transform(ml.Data.LoadFromEnumerable(samples)), reuseRowObject: false).ToArray();
    }
}
