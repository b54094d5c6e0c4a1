using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Registry;
using Slipway.Core.Signatures;

namespace Slipway.Packaging.Tests.Packaging;

public class ModelPackagerTests
{
    private static readonly string[] IrisColumns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 6, 1, 12, 30, 15, TimeSpan.Zero).AddTicks(5_000_000));

    [Fact]
    public async Task Bare_onnx_with_column_names_gets_a_column_signature_and_onnx_flavors()
    {
        using var temp = new TempDirectory();
        var output = temp.File("pkg");

        var package = await ModelPackager.CreateAsync(RepoPaths.Model("iris_logreg.onnx"), output, new PackageOptions(IrisColumns), time, CancellationToken.None);

        Assert.Equal("onnx", package.Flavor);
        Assert.Equal(["MLmodel", "conda.yaml", "model.onnx", "python_env.yaml", "requirements.txt"], package.Files);
        Assert.Equal(File.ReadAllBytes(RepoPaths.Model("iris_logreg.onnx")), File.ReadAllBytes(Path.Combine(output, "model.onnx")));
        Assert.Equal(IrisColumns, package.Signature!.Inputs!.Names);
        Assert.All(package.Signature.Inputs.Columns!, c => Assert.Equal(ColumnType.Float, c.Type));

        var written = await MlModelFile.ReadAsync(output, CancellationToken.None);
        Assert.Equal(package.Signature, written.Signature);
        Assert.Equal("2025-06-01 12:30:15.500000", written.UtcTimeCreated);
        Assert.Equal(32, written.ModelUuid!.Length);
        Assert.Equal("model.onnx", written.Flavors["onnx"]["data"]);
        Assert.Null(written.Flavors["onnx"]["code"]);
        Assert.Equal(["CPUExecutionProvider"], Assert.IsAssignableFrom<IEnumerable<object?>>(written.Flavors["onnx"]["providers"]));
        Assert.Equal("mlflow.onnx", written.Flavors["python_function"]["loader_module"]);
        Assert.Equal("model.onnx", written.Flavors["python_function"]["data"]);
        Assert.True(written.ModelSizeBytes > 0);
        Assert.Null(written.SavedInputExampleInfo);
    }

    [Fact]
    public async Task Bare_onnx_without_names_gets_the_graphs_tensor_signature()
    {
        using var temp = new TempDirectory();

        var package = await ModelPackager.CreateAsync(RepoPaths.Model("iris_logreg.onnx"), temp.File("pkg"), new PackageOptions(), time, CancellationToken.None);

        var input = Assert.Single(package.Signature!.Inputs!.Tensors!);
        Assert.Equal(new TensorSpec("float32", [-1, 4], "input"), input);
        var outputs = package.Signature.Outputs!.Tensors!;
        Assert.Equal(["label", "probabilities"], outputs.Select(o => o.Name));
        Assert.Equal("int64", outputs[0].DType);
        Assert.Equal("float32", outputs[1].DType);
        Assert.Equal(-1, outputs[1].Shape[0]);
    }

    [Theory]
    [InlineData("iris_random_forest.onnx")]
    [InlineData("iris_gradient_boosting.onnx")]
    [InlineData("diabetes_rf_regressor.onnx")]
    public async Task Every_shipped_test_model_packages_with_a_tensor_signature(string model)
    {
        using var temp = new TempDirectory();

        var package = await ModelPackager.CreateAsync(RepoPaths.Model(model), temp.File("pkg"), new PackageOptions(), time, CancellationToken.None);

        var input = Assert.Single(package.Signature!.Inputs!.Tensors!);
        Assert.Equal(2, input.Shape.Count);
        Assert.Equal(-1, input.Shape[0]);
        Assert.True(input.Shape[1] > 0);
        Assert.NotNull(package.Signature.Outputs);
    }

    [Fact]
    public async Task Column_count_that_does_not_match_the_tensor_is_rejected_and_nothing_is_left_behind()
    {
        using var temp = new TempDirectory();
        var output = temp.File("pkg");

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            ModelPackager.CreateAsync(RepoPaths.Model("iris_logreg.onnx"), output, new PackageOptions(["a", "b", "c"]), time, CancellationToken.None));

        Assert.Equal("3 column names given, but input 'input' has 4 columns.", error.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Mlnet_exported_onnx_gets_one_typed_column_per_graph_input()
    {
        using var temp = new TempDirectory();
        var (_, onnx) = MlnetModels.Build(temp.Path);

        var package = await ModelPackager.CreateAsync(onnx, temp.File("pkg"), new PackageOptions(), time, CancellationToken.None);

        Assert.Equal([new ColumnSpec(ColumnType.Float, "Size"), new ColumnSpec(ColumnType.String, "Color")], package.Signature!.Inputs!.Columns!);
        var outputs = package.Signature.Outputs!.Tensors!;
        Assert.Contains(outputs, o => o.Name!.StartsWith("PredictedLabel", StringComparison.Ordinal) && o.DType == "bool");
        Assert.Contains(outputs, o => o.Name!.StartsWith("Probability", StringComparison.Ordinal) && o.DType == "float32");
    }

    [Fact]
    public async Task Column_names_for_a_multi_input_model_are_rejected()
    {
        using var temp = new TempDirectory();
        var (_, onnx) = MlnetModels.Build(temp.Path);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            ModelPackager.CreateAsync(onnx, temp.File("pkg"), new PackageOptions(["a", "b"]), time, CancellationToken.None));

        Assert.Contains("one input tensor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mlnet_zip_gets_the_mlnet_flavor_and_its_schema_as_columns()
    {
        using var temp = new TempDirectory();
        var (zip, _) = MlnetModels.Build(temp.Path);
        var output = temp.File("pkg");

        var package = await ModelPackager.CreateAsync(zip, output, new PackageOptions(), time, CancellationToken.None);

        Assert.Equal("mlnet", package.Flavor);
        Assert.Equal(["MLmodel", "model.zip"], package.Files);
        Assert.Equal([new ColumnSpec(ColumnType.Float, "Size"), new ColumnSpec(ColumnType.String, "Color")], package.Signature!.Inputs!.Columns!);
        Assert.Equal(
            [new ColumnSpec(ColumnType.Boolean, "PredictedLabel"), new ColumnSpec(ColumnType.Float, "Score"), new ColumnSpec(ColumnType.Float, "Probability")],
            package.Signature.Outputs!.Columns!);
        var written = await MlModelFile.ReadAsync(output, CancellationToken.None);
        Assert.Equal(["mlnet"], written.Flavors.Keys);
        Assert.Equal("model.zip", written.Flavors["mlnet"]["data"]);
        Assert.Equal(MlnetSignatureReader.MlnetVersion, written.Flavors["mlnet"]["mlnet_version"]);
        Assert.StartsWith("5.", MlnetSignatureReader.MlnetVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_input_example_becomes_mlflow_split_json()
    {
        using var temp = new TempDirectory();
        var (zip, _) = MlnetModels.Build(temp.Path);
        var csv = temp.File("example.csv");
        await File.WriteAllTextAsync(csv, "Size, Color\n0.5, red\n1,\"blue, dark\"\n");
        var output = temp.File("pkg");

        var package = await ModelPackager.CreateAsync(zip, output, new PackageOptions(InputExamplePath: csv), time, CancellationToken.None);

        Assert.Contains("input_example.json", package.Files);
        Assert.Equal("""{"columns":["Size","Color"],"data":[[0.5,"red"],[1,"blue, dark"]]}""", await File.ReadAllTextAsync(Path.Combine(output, "input_example.json")));
        var info = (await MlModelFile.ReadAsync(output, CancellationToken.None)).SavedInputExampleInfo!;
        Assert.Equal("input_example.json", info["artifact_path"]);
        Assert.Equal("dataframe", info["type"]);
        Assert.Equal("split", info["pandas_orient"]);
    }

    [Theory]
    [InlineData("""{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [[5.1, 3.5, 1.4, 0.2]]}}""")]
    [InlineData("""{"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "index": [0], "data": [[5.1, 3.5, 1.4, 0.2]]}""")]
    [InlineData("""{"dataframe_records": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}""")]
    public async Task Json_input_examples_in_every_dataframe_form_are_stored_as_split(string json)
    {
        using var temp = new TempDirectory();
        var example = temp.File("example.json");
        await File.WriteAllTextAsync(example, json);
        var output = temp.File("pkg");

        await ModelPackager.CreateAsync(RepoPaths.Model("iris_logreg.onnx"), output, new PackageOptions(IrisColumns, example), time, CancellationToken.None);

        using var stored = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "input_example.json")));
        Assert.Equal(IrisColumns, stored.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(5.1, stored.RootElement.GetProperty("data")[0][0].GetDouble());
    }

    [Fact]
    public async Task Tensor_input_example_is_stored_as_tf_serving_inputs()
    {
        using var temp = new TempDirectory();
        var example = temp.File("example.json");
        await File.WriteAllTextAsync(example, """{"instances": [[5.1, 3.5, 1.4, 0.2]]}""");
        var output = temp.File("pkg");

        await ModelPackager.CreateAsync(RepoPaths.Model("iris_logreg.onnx"), output, new PackageOptions(InputExamplePath: example), time, CancellationToken.None);

        Assert.Equal("""{"inputs":[[5.1,3.5,1.4,0.2]]}""", await File.ReadAllTextAsync(Path.Combine(output, "input_example.json")));
        var info = (await MlModelFile.ReadAsync(output, CancellationToken.None)).SavedInputExampleInfo!;
        Assert.Equal("ndarray", info["type"]);
        Assert.Equal("tf-serving", info["format"]);
    }

    [Theory]
    [InlineData("example.json", """{"dataframe_split": {"columns": ["sepal_length", "oops"], "data": [[1, 2]]}}""", "input example column 'oops' is not an input")]
    [InlineData("example.json", """{"dataframe_split": {"columns": ["sepal_length"], "data": [[1]]}}""", "lacks the required column 'sepal_width'")]
    [InlineData("example.json", """{"dataframe_split": {"columns": ["sepal_length", "sepal_width"], "data": [[1]]}}""", "data[0]: has 1 values for 2 columns")]
    [InlineData("example.json", "{not json", "is not valid JSON")]
    [InlineData("example.json", "[1, 2]", "expected a JSON object")]
    [InlineData("example.json", """{"something": 1}""", "expected dataframe_split")]
    [InlineData("example.csv", "sepal_length\n", "needs a header row and at least one data row")]
    [InlineData("example.csv", "sepal_length,sepal_width\n1\n", "line 2: has 1 values for 2 columns")]
    [InlineData("example.txt", "1,2,3,4", "must be a .json (MLflow format) or .csv file")]
    public async Task Bad_input_examples_are_rejected(string fileName, string content, string message)
    {
        using var temp = new TempDirectory();
        var example = temp.File(fileName);
        await File.WriteAllTextAsync(example, content);
        var output = temp.File("pkg");

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            ModelPackager.CreateAsync(RepoPaths.Model("iris_logreg.onnx"), output, new PackageOptions(IrisColumns, example), time, CancellationToken.None));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Mlflow_model_directory_is_validated_and_copied_as_is()
    {
        using var temp = new TempDirectory();
        var source = Directory.CreateDirectory(temp.File("mlflow-model")).FullName;
        var mlmodel = """
            flavors:
              onnx:
                code: null
                data: model.onnx
                onnx_version: 1.15.0
              python_function:
                data: model.onnx
                loader_module: mlflow.onnx
                python_version: 3.10.12
            model_uuid: 3f1c2e0b9a8d4c7e8f6a5b4c3d2e1f00
            signature:
              inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]'
              outputs: null
              params: null
            utc_time_created: '2024-03-11 09:15:42.123456'

            """;
        await File.WriteAllTextAsync(Path.Combine(source, "MLmodel"), mlmodel);
        File.Copy(RepoPaths.Model("iris_logreg.onnx"), Path.Combine(source, "model.onnx"));
        Directory.CreateDirectory(Path.Combine(source, "extra"));
        await File.WriteAllTextAsync(Path.Combine(source, "extra", "notes.txt"), "kept");
        var output = temp.File("pkg");

        var package = await ModelPackager.CreateAsync(source, output, new PackageOptions(), time, CancellationToken.None);

        Assert.Equal("onnx", package.Flavor);
        Assert.Equal(["MLmodel", "extra/notes.txt", "model.onnx"], package.Files);
        Assert.Equal(mlmodel, await File.ReadAllTextAsync(Path.Combine(output, "MLmodel")));
        Assert.Equal(new TensorSpec("float32", [-1, 4]), Assert.Single(package.Signature!.Inputs!.Tensors!));
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(output, "extra", "notes.txt")));
    }

    [Fact]
    public async Task Directory_without_mlmodel_is_rejected()
    {
        using var temp = new TempDirectory();
        var source = Directory.CreateDirectory(temp.File("not-a-model")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "model.onnx"), "x");

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            ModelPackager.CreateAsync(source, temp.File("pkg"), new PackageOptions(), time, CancellationToken.None));

        Assert.Contains("has no MLmodel file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mlmodel_pointing_at_a_missing_model_file_is_rejected()
    {
        using var temp = new TempDirectory();
        var source = Directory.CreateDirectory(temp.File("broken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "MLmodel"), "flavors:\n  onnx:\n    data: model.onnx\n");

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            ModelPackager.CreateAsync(source, temp.File("pkg"), new PackageOptions(), time, CancellationToken.None));

        Assert.Equal("MLmodel.flavors.onnx.data: 'model.onnx' is not in the model directory.", error.Message);
    }

    [Fact]
    public async Task Options_are_rejected_for_a_model_directory()
    {
        using var temp = new TempDirectory();
        var source = Directory.CreateDirectory(temp.File("m")).FullName;

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            ModelPackager.CreateAsync(source, temp.File("pkg"), new PackageOptions(["a"]), time, CancellationToken.None));

        Assert.Contains("bare .onnx or .zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_sources_are_rejected_with_one_line_messages()
    {
        using var temp = new TempDirectory();
        var notOnnx = temp.File("garbage.onnx");
        await File.WriteAllTextAsync(notOnnx, "this is not a protobuf");
        var notZip = temp.File("garbage.zip");
        await File.WriteAllBytesAsync(notZip, [0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
        var otherZip = temp.File("other.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(otherZip, System.IO.Compression.ZipArchiveMode.Create))
        {
            archive.CreateEntry("readme.txt");
        }

        var pickle = temp.File("model.pkl");
        await File.WriteAllTextAsync(pickle, "x");

        var cases = new (string Source, string Message)[]
        {
            (temp.File("missing.onnx"), "does not exist"),
            (notOnnx, "'garbage.onnx' is not a valid ONNX model"),
            (notZip, "'garbage.zip' is not a valid ML.NET model"),
            (otherZip, "'other.zip' is not a valid ML.NET model"),
            (pickle, "'model.pkl' is not a model"),
        };
        foreach (var (source, message) in cases)
        {
            var output = temp.File("pkg-" + Guid.NewGuid().ToString("N"));
            var error = await Assert.ThrowsAsync<RegistryException>(() =>
                ModelPackager.CreateAsync(source, output, new PackageOptions(), time, CancellationToken.None));

            Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
            Assert.False(Directory.Exists(output));
        }
    }

    [Fact]
    public async Task Non_empty_output_directory_is_rejected_and_left_untouched()
    {
        using var temp = new TempDirectory();
        var output = Directory.CreateDirectory(temp.File("pkg")).FullName;
        await File.WriteAllTextAsync(Path.Combine(output, "keep.txt"), "mine");

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            ModelPackager.CreateAsync(RepoPaths.Model("iris_logreg.onnx"), output, new PackageOptions(), time, CancellationToken.None));

        Assert.Contains("is not empty", error.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFiles(output).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Empty_existing_output_directory_is_used()
    {
        using var temp = new TempDirectory();
        var output = Directory.CreateDirectory(temp.File("pkg")).FullName;

        var package = await ModelPackager.CreateAsync(RepoPaths.Model("iris_logreg.onnx"), output, new PackageOptions(), time, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(output, "MLmodel")));
        Assert.Equal(output, package.Directory);
    }
}
