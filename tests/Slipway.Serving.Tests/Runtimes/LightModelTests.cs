using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Runtimes;

/// <summary>
/// The ONNX backend tests' "light" CNNs: every float initializer was replaced by a constant, so each model's output
/// is the same for every input and the project ships no input file. The tests feed a non-trivial pattern (a ramp
/// over [0, 1)) through the served path and compare with the reference evaluator's output.
/// </summary>
public sealed class LightModelTests : IDisposable
{
    private readonly TempDirectory temp = new("slipway-light");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("bvlc_alexnet")]
    [InlineData("densenet121")]
    [InlineData("inception_v1")]
    [InlineData("inception_v2")]
    [InlineData("resnet50")]
    [InlineData("shufflenet")]
    [InlineData("squeezenet")]
    [InlineData("vgg19")]
    [InlineData("zfnet512")]
    public void Light_models_reproduce_the_reference_output(string model)
    {
        var expected = TensorProtoFile.Read(TestPackages.Model("light", $"light_{model}_output_0.pb"));
        using var runtime = ModelRuntimes.Load(
            TestPackages.Package(temp, TestPackages.Model("light", $"light_{model}.onnx")), model, "1", new RuntimeOptions());

        var input = Assert.Single(runtime.Contract.Inputs);
        Assert.Equal(TensorType.Float32, input.Type);
        Assert.Equal([1L, 3, 224, 224], input.Shape);
        Assert.False(runtime.Contract.IsTabular);
        Assert.False(runtime.Contract.IsBatchable);

        var count = (int)Tensor.CountOf(input.Shape);
        var ramp = new float[count];
        for (var i = 0; i < count; i++)
        {
            ramp[i] = i / (float)count;
        }

        var output = Assert.Single(runtime.Run(new InferenceRequest([new Tensor(input.Name, TensorType.Float32, input.Shape, ramp)], 1)));

        Assert.Equal(runtime.Contract.Outputs[0].Name, output.Name);
        Assert.Equal(expected.Dims, output.Shape);
        var actual = output.As<float>();
        Assert.Equal(expected.Values.Length, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(expected.Values[i] - actual[i]) <= 1e-4, $"{model} output[{i}]: expected {expected.Values[i]}, got {actual[i]}");
        }
    }
}
