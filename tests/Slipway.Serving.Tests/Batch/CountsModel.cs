using Microsoft.ML;
using Microsoft.ML.Data;

namespace Slipway.Serving.Tests.Batch;

/// <summary>A small real ML.NET regression over an integer column (<c>Count</c>) and a float column (<c>Size</c>).</summary>
public static class CountsModel
{
    public sealed class Row
    {
        public int Count { get; set; }

        public float Size { get; set; }

        public float Label { get; set; }
    }

    public sealed class Features
    {
        public int Count { get; set; }

        public float Size { get; set; }
    }

    /// <summary>Trains the model and writes <c>counts.zip</c> (saved with the feature schema) into <paramref name="directory"/>.</summary>
    public static string Build(string directory)
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 100).Select(i => new Row { Count = i % 10, Size = i / 100f, Label = (2 * (i % 10)) + (i / 100f) }).ToList();
        var pipeline = ml.Transforms.Conversion.ConvertType("CountF", "Count", DataKind.Single)
            .Append(ml.Transforms.Concatenate("Features", "CountF", "Size"))
            .Append(ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 10));
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(rows));
        var zip = Path.Combine(directory, "counts.zip");
        ml.Model.Save(model, ml.Data.LoadFromEnumerable(rows.Select(r => new Features { Count = r.Count, Size = r.Size })).Schema, zip);
        return zip;
    }
}
