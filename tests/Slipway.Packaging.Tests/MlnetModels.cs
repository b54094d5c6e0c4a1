using Microsoft.ML;

namespace Slipway.Packaging.Tests;

/// <summary>Builds a small real ML.NET model (one float and one text column) and its ONNX export.</summary>
public static class MlnetModels
{
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

    /// <summary>Writes <c>model.zip</c> and <c>model.onnx</c> into <paramref name="directory"/> and returns their paths.</summary>
    public static (string Zip, string Onnx) Build(string directory)
    {
        var ml = new MLContext(seed: 1);
        string[] colors = ["red", "green", "blue"];
        var rows = Enumerable.Range(0, 200)
            .Select(i => new Row { Size = i % 17 / 17f, Color = colors[i % 3], Label = i % 17 > 8 || i % 3 == 0 })
            .ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Categorical.OneHotEncoding("ColorHot", "Color")
            .Append(ml.Transforms.Concatenate("Features", "Size", "ColorHot"))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 20));
        var model = pipeline.Fit(data);

        // The saved schema and the ONNX graph take the features only.
        var features = ml.Data.LoadFromEnumerable(rows.Select(r => new Features { Size = r.Size, Color = r.Color }));
        var zip = Path.Combine(directory, "model.zip");
        var onnx = Path.Combine(directory, "mlnet.onnx");
        ml.Model.Save(model, features.Schema, zip);
        using (var stream = File.Create(onnx))
        {
            ml.Model.ConvertToOnnx(model, features, stream, "PredictedLabel", "Score", "Probability");
        }

        return (zip, onnx);
    }
}
