using Slipway.Serving.Runtimes;
using Slipway.Serving.Runtimes.Onnx;
using Slipway.Serving.Tensors;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Runtimes;

/// <summary>An ML.NET model exported to ONNX takes one graph input per column ([-1, 1]); requests send 1-D columns.</summary>
public sealed class OnnxColumnModelTests : IDisposable
{
    private readonly TempDirectory temp = new("slipway-columns");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void One_graph_input_per_column_takes_the_columns_reshaped_and_matches_mlnet()
    {
        var (zip, onnx) = MlnetTestModel.Build(temp.Path);
        var samples = MlnetTestModel.Samples();
        var expected = MlnetTestModel.Predict(zip, samples);
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, onnx), "colors", "1", new RuntimeOptions());

        Assert.IsType<OnnxModelRuntime>(runtime);
        Assert.True(runtime.Contract.IsTabular);
        Assert.Equal(["Size:Float32", "Color:String"], runtime.Contract.Inputs.Select(i => $"{i.Name}:{i.Type}"));
        Assert.All(runtime.Contract.Inputs, i => Assert.Equal([-1L], i.Shape));

        var outputs = runtime.Run(MlnetModelRuntimeTests.Request(samples));

        var names = string.Join(", ", outputs.Select(o => o.ToString()));
        var probability = outputs.Single(o => o.Name.StartsWith("Probability", StringComparison.Ordinal));
        var label = outputs.Single(o => o.Name.StartsWith("PredictedLabel", StringComparison.Ordinal));
        Assert.Equal(samples.Length, probability.ElementCount);
        var values = probability.As<float>();
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.True(Math.Abs(expected[i].Probability - values[i]) <= 1e-5, $"row {i}: ML.NET {expected[i].Probability}, ONNX {values[i]} ({names})");
        }

        Assert.Equal(expected.Select(p => p.PredictedLabel), label.As<bool>());
    }
}
