using Slipway.Core.Registry;
using Slipway.Core.Signatures;
using Slipway.Packaging;
using Slipway.Serving.Runtimes;
using Slipway.Testing;

namespace Slipway.Serving.Tests.Runtimes;

public sealed class ModelRuntimesTests : IDisposable
{
    private readonly TempDirectory temp = new("slipway-loader");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_packages_input_example_is_part_of_the_contract()
    {
        var example = temp.Combine("example.json");
        File.WriteAllText(example, """{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": [[5.1, 3.5, 1.4, 0.2]]}}""");
        var package = TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx"), ["a", "b", "c", "d"], example);

        using var runtime = ModelRuntimes.Load(package, "iris", "1", new RuntimeOptions());

        Assert.NotNull(runtime.Contract.InputExampleJson);
        Assert.Contains("5.1", runtime.Contract.InputExampleJson, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_without_input_example_has_none()
    {
        using var runtime = ModelRuntimes.Load(TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx")), "iris", "1", new RuntimeOptions());

        Assert.Null(runtime.Contract.InputExampleJson);
    }

    [Fact]
    public void A_missing_model_file_is_invalid_naming_the_file()
    {
        var package = TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx"));
        File.Delete(Path.Combine(package, "model.onnx"));

        var error = Assert.Throws<RegistryException>(() => ModelRuntimes.Load(package, "iris", "1", new RuntimeOptions()));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("flavors.onnx.data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_invalid_saying_so()
    {
        var package = TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx"));
        File.WriteAllText(Path.Combine(package, "model.onnx"), "this is not a protobuf model");

        var error = Assert.Throws<RegistryException>(() => ModelRuntimes.Load(package, "iris", "1", new RuntimeOptions()));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("'model.onnx' is not a valid ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_mlnet_model_is_invalid_saying_so()
    {
        var (zip, _) = MlnetTestModel.Build(temp.Path);
        var package = TestPackages.Package(temp, zip);
        File.WriteAllText(Path.Combine(package, "model.zip"), "not a zip");

        var error = Assert.Throws<RegistryException>(() => ModelRuntimes.Load(package, "colors", "1", new RuntimeOptions()));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("'model.zip' is not a valid ML.NET model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_without_a_servable_flavor_is_invalid_listing_its_flavors()
    {
        var package = Directory.CreateDirectory(temp.Combine("sklearn")).FullName;
        File.WriteAllText(Path.Combine(package, "model.pkl"), "pickle");
        var mlmodel = new MlModelFile
        {
            Flavors = new Dictionary<string, IReadOnlyDictionary<string, object?>>
            {
                ["python_function"] = new Dictionary<string, object?> { ["loader_module"] = "mlflow.sklearn", ["model_path"] = "model.pkl" },
                ["sklearn"] = new Dictionary<string, object?> { ["pickled_model"] = "model.pkl" },
            },
        };
        await mlmodel.WriteAsync(package, CancellationToken.None);

        var error = Assert.Throws<RegistryException>(() => ModelRuntimes.Load(package, "pickled", "4", new RuntimeOptions()));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("no servable flavor", error.Message, StringComparison.Ordinal);
        Assert.Contains("python_function, sklearn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_without_mlmodel_is_invalid()
    {
        var error = Assert.Throws<RegistryException>(() => ModelRuntimes.Load(temp.Path, "none", "1", new RuntimeOptions()));

        Assert.Contains("MLmodel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_signature_that_fits_no_graph_input_is_invalid_naming_the_graph()
    {
        // Three columns cannot be the four columns of the iris matrix.
        var package = TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx"));
        var mlmodel = await MlModelFile.ReadAsync(package, CancellationToken.None);
        var columns = SignatureSchema.FromColumns(new[] { "a", "b", "c" }.Select(n => new ColumnSpec(ColumnType.Float, n)));
        await (mlmodel with { Signature = new ModelSignature(columns, mlmodel.Signature!.Outputs) }).WriteAsync(package, CancellationToken.None);

        var error = Assert.Throws<RegistryException>(() => ModelRuntimes.Load(package, "iris", "1", new RuntimeOptions()));

        Assert.Contains("3 columns", error.Message, StringComparison.Ordinal);
        Assert.Contains("input: Float[-1, 4]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpu_requested_without_a_cuda_build_falls_back_to_the_cpu()
    {
        var expected = ExpectedOutputs.Read(TestPackages.Model("iris_logreg.expected.json"));
        using var runtime = ModelRuntimes.Load(
            TestPackages.Package(temp, TestPackages.Model("iris_logreg.onnx")), "iris", "1", new RuntimeOptions { UseGpu = true, IntraOpThreads = 2, AllowSpinning = true });

        var outputs = runtime.Run(new InferenceRequest(
            [new Serving.Tensors.Tensor("input", Serving.Tensors.TensorType.Float32, [expected.Rows, 4], expected.InputMatrix())], expected.Rows));

        Assert.Equal(expected.Label, outputs[0].As<long>());
    }
}
