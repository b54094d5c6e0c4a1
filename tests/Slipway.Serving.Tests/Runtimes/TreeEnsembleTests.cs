using Slipway.Serving.Runtimes;
using Slipway.Serving.Tensors;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Runtimes;

/// <summary>
/// sklearn-onnx's bare <c>TreeEnsembleClassifier</c> graphs (<c>treecl*.onnx</c>: input <c>[N, features]</c> of any
/// width, outputs label and probabilities). They ship without expected outputs; they are scored on the three
/// 20-feature rows sklearn-onnx's own test feeds them (the first 10 features for <c>treecl3</c>).
/// </summary>
public sealed class TreeEnsembleTests : IDisposable
{
    private static readonly float[][] Rows =
    [
        [-0.32256478f, 1.7266265f, 0.47051477f, 1.1111994f, 1.9582617f, -2.1582267f, -1.9729482f, -1.5662458f, 1.8967382f, 0.9119621f,
            -0.93173814f, 2.9724689f, -0.7231156f, 0.10379718f, -1.3578224f, 0.37283298f, -0.38267845f, 0.23394746f, -1.6884863f, 0.6374923f],
        [-0.53266096f, -0.767421f, 1.661441f, 0.52790266f, 1.6549803f, 0.5076044f, -2.9024098f, 0.86126643f, -1.3819953f, 2.5567708f,
            -1.7888857f, -0.07472081f, 0.24990171f, -0.87638474f, -0.14730039f, 1.3493251f, -0.7835222f, -0.9997528f, -0.91080195f, -3.6515126f],
        [-0.8703916f, 0.43145382f, 1.0918913f, -1.397069f, -0.48047885f, 3.1278436f, 3.8035386f, -0.22710086f, -0.42011356f, 1.4203368f,
            0.47596663f, -0.44953802f, -0.68278235f, 0.87819546f, -2.4272032f, 0.08891433f, 0.7960927f, 1.2197107f, 1.7008729f, 1.0122501f],
    ];

    private readonly TempDirectory temp = new("slipway-trees");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("treecl", 20)]
    [InlineData("treecl2", 20)]
    [InlineData("treecl3", 10)]
    public void Tree_ensembles_score_rows_with_labels_that_follow_their_probabilities(string model, int features)
    {
        using var runtime = ModelRuntimes.Load(
            TestPackages.Package(temp, TestPackages.Model("sklearn-onnx-repo", $"{model}.onnx")), model, "1", new RuntimeOptions());
        var input = Assert.Single(runtime.Contract.Inputs);
        Assert.Equal([-1L, -1], input.Shape);
        Assert.True(runtime.Contract.IsBatchable);

        var data = Rows.SelectMany(r => r.Take(features)).ToArray();
        var request = new InferenceRequest([new Tensor(input.Name, TensorType.Float32, [Rows.Length, features], data)], Rows.Length);
        var first = runtime.Run(request);
        var second = runtime.Run(request);

        Assert.Equal(2, first.Count);
        var labels = first[0].As<long>();
        var probabilities = first[1];
        Assert.Equal(Rows.Length, labels.Length);
        Assert.Equal(Rows.Length, probabilities.Shape[0]);
        var classes = (int)probabilities.Shape[1];
        Assert.True(classes >= 2);
        var values = probabilities.As<float>();
        for (var r = 0; r < Rows.Length; r++)
        {
            var row = values.AsSpan(r * classes, classes);
            Assert.Equal(row.IndexOf(TensorPrimitivesMax(row)), (int)labels[r]);
        }

        // Scoring is deterministic: the same rows give the same values again.
        Assert.Equal(labels, second[0].As<long>());
        Assert.Equal(values, second[1].As<float>());
    }

    private static float TensorPrimitivesMax(ReadOnlySpan<float> values)
    {
        var max = float.MinValue;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        return max;
    }
}
