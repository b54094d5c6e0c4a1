using Slipway.Core.Signatures;
using Slipway.Packaging;
using Slipway.Serving.Runtimes;
using Slipway.Serving.Runtimes.Mlnet;
using Slipway.Serving.Tensors;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Runtimes;

public sealed class MlnetModelRuntimeTests : IDisposable
{
    private readonly TempDirectory temp = new("slipway-mlnet");
    private readonly string zip;

    public MlnetModelRuntimeTests()
    {
        (zip, _) = MlnetTestModel.Build(temp.Path);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void An_mlnet_package_scores_as_the_typed_mlnet_api_does()
    {
        var samples = MlnetTestModel.Samples();
        var expected = MlnetTestModel.Predict(zip, samples);
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, zip), "colors", "2", new RuntimeOptions());

        Assert.IsType<MlnetModelRuntime>(runtime);
        Assert.Equal(MlnetModelRuntime.Platform, runtime.Contract.Platform);
        Assert.True(runtime.Contract.IsTabular);
        Assert.True(runtime.Contract.IsBatchable);
        Assert.Equal(["Size:Float32", "Color:String"], runtime.Contract.Inputs.Select(i => $"{i.Name}:{i.Type}"));
        Assert.All(runtime.Contract.Inputs, i => Assert.Equal([-1L], i.Shape));
        Assert.Equal(["PredictedLabel:Bool", "Score:Float32", "Probability:Float32"], runtime.Contract.Outputs.Select(o => $"{o.Name}:{o.Type}"));

        var outputs = runtime.Run(Request(samples));

        Assert.Equal(expected.Select(p => p.PredictedLabel), outputs[0].As<bool>());
        Assert.Equal(expected.Select(p => p.Score), outputs[1].As<float>());
        Assert.Equal(expected.Select(p => p.Probability), outputs[2].As<float>());
        Assert.All(outputs, o => Assert.Equal([samples.Length], o.Shape));
    }

    [Fact]
    public async Task A_vector_output_named_in_the_signature_comes_back_as_rows_by_width()
    {
        var samples = MlnetTestModel.Samples();
        var expected = MlnetTestModel.Predict(zip, samples);
        var package = TestPackages.Package(temp, zip);
        var mlmodel = await MlModelFile.ReadAsync(package, CancellationToken.None);
        var outputs = SignatureSchema.FromTensors([new TensorSpec("float32", [-1, 4], "Features"), new TensorSpec("float32", [-1], "Probability")]);
        mlmodel = mlmodel with { Signature = new ModelSignature(mlmodel.Signature!.Inputs, outputs) };
        await mlmodel.WriteAsync(package, CancellationToken.None);
        using var runtime = ModelRuntimes.Load(package, "colors", "2", new RuntimeOptions());

        Assert.Equal(["Features", "Probability"], runtime.Contract.Outputs.Select(o => o.Name));
        Assert.Equal([-1L, 4], runtime.Contract.Outputs[0].Shape);

        var features = runtime.Run(Request(samples))[0];

        Assert.Equal([samples.Length, 4L], features.Shape);
        Assert.Equal(expected.SelectMany(p => p.Features), features.As<float>());
    }

    [Fact]
    public void Concurrent_requests_on_a_small_engine_pool_each_get_their_own_rows()
    {
        var samples = MlnetTestModel.Samples();
        var expected = MlnetTestModel.Predict(zip, samples);
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, zip), "colors", "2", new RuntimeOptions { EnginePoolSize = 2 });

        // Each request scores one sample repeated a different number of times, so mixed-up engines would show.
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var sample = i % samples.Length;
            var repeat = 1 + (i % 7);
            var request = Request(Enumerable.Repeat(samples[sample], repeat).ToArray());
            var probability = runtime.Run(request with { Outputs = ["Probability"] })[0].As<float>();
            Assert.Equal(Enumerable.Repeat(expected[sample].Probability, repeat), probability);
        });
    }

    [Fact]
    public void A_missing_column_is_a_400_naming_it()
    {
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, zip), "colors", "2", new RuntimeOptions());
        var request = new InferenceRequest([new Tensor("Size", TensorType.Float32, [1], new[] { 0.5f })], 1);

        var error = Assert.Throws<ScoringException>(() => runtime.Run(request));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Contains("'Color'", error.Message, StringComparison.Ordinal);
    }

    internal static InferenceRequest Request(MlnetTestModel.Features[] samples) => new(
        [
            new Tensor("Size", TensorType.Float32, [samples.Length], samples.Select(s => s.Size).ToArray()),
            new Tensor("Color", TensorType.String, [samples.Length], samples.Select(s => s.Color).ToArray()),
        ],
        samples.Length);
}
