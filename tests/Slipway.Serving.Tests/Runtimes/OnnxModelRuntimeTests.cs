using Slipway.Core.Registry;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Runtimes.Onnx;
using Slipway.Serving.Tensors;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Runtimes;

public sealed class OnnxModelRuntimeTests : IDisposable
{
    private readonly TempDirectory temp = new("slipway-runtime");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("iris_logreg")]
    [InlineData("iris_random_forest")]
    [InlineData("iris_gradient_boosting")]
    [InlineData("diabetes_rf_regressor")]
    public void ScikitLearnModels_reproduce_scikit_learns_outputs(string model)
    {
        var expected = ExpectedOutputs.Read(TestPackages.Model($"{model}.expected.json"));
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, TestPackages.Model($"{model}.onnx")), model, "3", new RuntimeOptions());

        Assert.Equal(OnnxModelRuntime.Platform, runtime.Contract.Platform);
        Assert.Equal(model, runtime.Contract.Name);
        Assert.Equal("3", runtime.Contract.Version);
        var input = Assert.Single(runtime.Contract.Inputs);
        Assert.Equal(TensorType.Float32, input.Type);
        Assert.Equal([-1L, expected.Features], input.Shape);
        Assert.True(runtime.Contract.IsBatchable);

        var outputs = runtime.Run(new InferenceRequest(
            [new Tensor(input.Name, TensorType.Float32, [expected.Rows, expected.Features], expected.InputMatrix())], expected.Rows));

        if (expected.Label is not null)
        {
            Assert.Equal(["label", "probabilities"], outputs.Select(o => o.Name));
            Assert.Equal(expected.Label, outputs[0].As<long>());
            AssertClose(expected.Probabilities!, outputs[1], 1e-5);
        }
        else
        {
            var variable = Assert.Single(outputs);
            AssertClose(expected.Variable!, variable, 1e-5);
        }
    }

    [Fact]
    public void Named_columns_over_one_matrix_are_packed_into_the_graph_input()
    {
        var expected = ExpectedOutputs.Read(TestPackages.Model("iris_logreg.expected.json"));
        string[] columns = ["sepal length", "sepal width", "petal length", "petal width"];
        using var runtime = ModelRuntimes.Load(
            TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx"), columns), "iris", "1", new RuntimeOptions());

        Assert.True(runtime.Contract.IsTabular);
        Assert.Equal(columns, runtime.Contract.Inputs.Select(i => i.Name));
        Assert.All(runtime.Contract.Inputs, i => Assert.Equal([-1L], i.Shape));
        Assert.All(runtime.Contract.Inputs, i => Assert.Equal(TensorType.Float32, i.Type));

        // Columns given in another order than the contract's still land in their own matrix column.
        var inputs = columns.Select((c, i) => new Tensor(c, TensorType.Float32, [expected.Rows], expected.InputColumn(i))).Reverse().ToArray();
        var outputs = runtime.Run(new InferenceRequest(inputs, expected.Rows));

        Assert.Equal(expected.Label, outputs[0].As<long>());
        AssertClose(expected.Probabilities!, outputs[1], 1e-5);
    }

    [Fact]
    public void Outputs_asked_for_come_back_alone_in_model_order()
    {
        var expected = ExpectedOutputs.Read(TestPackages.Model("iris_logreg.expected.json"));
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx")), "iris", "1", new RuntimeOptions());
        var input = new Tensor("input", TensorType.Float32, [expected.Rows, 4], expected.InputMatrix());

        var probabilities = Assert.Single(runtime.Run(new InferenceRequest([input], expected.Rows, ["probabilities"])));
        Assert.Equal("probabilities", probabilities.Name);
        Assert.Equal([expected.Rows, 3L], probabilities.Shape);

        var both = runtime.Run(new InferenceRequest([input], expected.Rows, ["probabilities", "label"]));
        Assert.Equal(["label", "probabilities"], both.Select(o => o.Name));
    }

    [Fact]
    public void An_unknown_output_is_a_400_naming_it()
    {
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx")), "iris", "1", new RuntimeOptions());
        var input = new Tensor("input", TensorType.Float32, [1, 4], new float[4]);

        var error = Assert.Throws<ScoringException>(() => runtime.Run(new InferenceRequest([input], 1, ["scores"])));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Contains("'scores'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shape_the_graph_cannot_take_is_a_400()
    {
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx")), "iris", "1", new RuntimeOptions());
        var input = new Tensor("input", TensorType.Float32, [2, 3], new float[6]);

        var error = Assert.Throws<ScoringException>(() => runtime.Run(new InferenceRequest([input], 2)));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("rejected the input", error.Message, StringComparison.Ordinal);
    }

    internal static void AssertClose(double[][] expected, Tensor actual, double tolerance)
    {
        Assert.Equal([expected.Length, expected[0].Length], actual.Shape);
        var values = actual.Data switch
        {
            float[] floats => floats.Select(f => (double)f).ToArray(),
            double[] doubles => doubles,
            _ => throw new InvalidOperationException($"{actual} is not floating point"),
        };
        var width = expected[0].Length;
        for (var r = 0; r < expected.Length; r++)
        {
            for (var c = 0; c < width; c++)
            {
                // Relative above 1: the models compute in float32, whose spacing near 200 (a diabetes
                // prediction) is 1.5e-5, so an absolute 1e-5 is only meaningful for values up to 1.
                var difference = Math.Abs(expected[r][c] - values[(r * width) + c]);
                Assert.True(difference <= tolerance * Math.Max(1, Math.Abs(expected[r][c])), $"{actual.Name}[{r}, {c}]: expected {expected[r][c]}, got {values[(r * width) + c]}");
            }
        }
    }
}
