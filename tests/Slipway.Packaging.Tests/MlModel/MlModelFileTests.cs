using Slipway.Core.Registry;
using Slipway.Core.Signatures;

namespace Slipway.Packaging.Tests.MlModel;

public class MlModelFileTests
{
    // Written by PyYAML's safe_dump(default_flow_style=False), exactly as MLflow 2.11's Model.save writes an ONNX model:
    // keys sorted, long signature strings folded at 80 columns, the timestamp quoted.
    private const string MlflowWritten = """
        artifact_path: model
        flavors:
          onnx:
            code: null
            data: model.onnx
            onnx_session_options: null
            onnx_version: 1.15.0
            providers:
            - CUDAExecutionProvider
            - CPUExecutionProvider
          python_function:
            data: model.onnx
            env:
              conda: conda.yaml
              virtualenv: python_env.yaml
            loader_module: mlflow.onnx
            python_version: 3.10.12
        mlflow_version: 2.11.1
        model_size_bytes: 1234
        model_uuid: 3f1c2e0b9a8d4c7e8f6a5b4c3d2e1f00
        run_id: c9ee9442537b4ed3b33d5917c2628cd9
        saved_input_example_info:
          artifact_path: input_example.json
          pandas_orient: split
          type: dataframe
        signature:
          inputs: '[{"type": "double", "name": "sepal length (cm)", "required": true}, {"type":
            "double", "name": "sepal width (cm)", "required": true}, {"type": "double", "name":
            "petal length (cm)", "required": true}, {"type": "double", "name": "petal width
            (cm)", "required": true}]'
          outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
          params: null
        utc_time_created: '2024-03-11 09:15:42.123456'

        """;

    [Fact]
    public void Parse_reads_every_field_of_an_mlflow_written_file()
    {
        var file = MlModelFile.Parse(MlflowWritten);

        Assert.Equal("model", file.ArtifactPath);
        Assert.Equal("c9ee9442537b4ed3b33d5917c2628cd9", file.RunId);
        Assert.Equal("3f1c2e0b9a8d4c7e8f6a5b4c3d2e1f00", file.ModelUuid);
        Assert.Equal("2024-03-11 09:15:42.123456", file.UtcTimeCreated);
        Assert.Equal("2.11.1", file.MlflowVersion);
        Assert.Equal(1234L, file.ModelSizeBytes);
        Assert.Equal(["onnx", "python_function"], file.Flavors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("model.onnx", file.Flavors["onnx"]["data"]);
        Assert.Null(file.Flavors["onnx"]["code"]);
        Assert.Equal(["CUDAExecutionProvider", "CPUExecutionProvider"], Assert.IsAssignableFrom<IEnumerable<object?>>(file.Flavors["onnx"]["providers"]));
        Assert.Equal("mlflow.onnx", file.Flavors["python_function"]["loader_module"]);
        Assert.Equal("input_example.json", file.SavedInputExampleInfo!["artifact_path"]);

        var signature = file.Signature!;
        Assert.False(signature.Inputs!.IsTensorBased);
        Assert.Equal(["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"], signature.Inputs.Names);
        Assert.All(signature.Inputs.Columns!, c => Assert.Equal(ColumnType.Double, c.Type));
        Assert.Equal(new TensorSpec("int64", [-1]), Assert.Single(signature.Outputs!.Tensors!));
        Assert.Null(signature.ParamsJson);
    }

    [Fact]
    public void ToYaml_writes_back_the_mlflow_text_byte_for_byte()
    {
        var file = MlModelFile.Parse(MlflowWritten);

        Assert.Equal(MlflowWritten.ReplaceLineEndings("\n"), file.ToYaml());
    }

    [Fact]
    public void ToYaml_then_Parse_round_trips_a_slipway_file()
    {
        var file = new MlModelFile
        {
            ModelUuid = "1234567890",
            UtcTimeCreated = MlModelFile.FormatTime(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            Flavors = new Dictionary<string, IReadOnlyDictionary<string, object?>>
            {
                ["mlnet"] = new Dictionary<string, object?> { ["data"] = "model.zip", ["mlnet_version"] = "5.0", ["threshold"] = 0.5, ["flag"] = true },
            },
            Signature = new ModelSignature(SignatureSchema.FromColumns([new ColumnSpec(ColumnType.String, "workclass"), new ColumnSpec(ColumnType.Float, "age", Required: false)]), null),
        };

        var yaml = file.ToYaml();
        var back = MlModelFile.Parse(yaml);

        // Strings that would read back as numbers or timestamps are quoted, like PyYAML does.
        Assert.Contains("model_uuid: '1234567890'", yaml, StringComparison.Ordinal);
        Assert.Contains("mlnet_version: '5.0'", yaml, StringComparison.Ordinal);
        Assert.Contains("utc_time_created: '2025-01-02 03:04:05'", yaml, StringComparison.Ordinal);
        Assert.Equal("1234567890", back.ModelUuid);
        Assert.Equal("5.0", back.Flavors["mlnet"]["mlnet_version"]);
        Assert.Equal(0.5, back.Flavors["mlnet"]["threshold"]);
        Assert.Equal(true, back.Flavors["mlnet"]["flag"]);
        Assert.Equal(file.Signature, back.Signature);
        Assert.Equal(yaml, back.ToYaml());
    }

    // Each expected line is what PyYAML's safe_dump writes for the value.
    [Theory]
    [InlineData("0123456789", "k: 0123456789")]
    [InlineData("5.0", "k: '5.0'")]
    [InlineData("012345", "k: '012345'")]
    [InlineData("yes", "k: 'yes'")]
    [InlineData("", "k: ''")]
    [InlineData(" x", "k: ' x'")]
    [InlineData("a: b", "k: 'a: b'")]
    [InlineData("-1", "k: '-1'")]
    [InlineData("[x]", "k: '[x]'")]
    [InlineData("1_000", "k: '1_000'")]
    [InlineData("1:20", "k: '1:20'")]
    [InlineData("2024-01-01", "k: '2024-01-01'")]
    [InlineData("3.10.12", "k: 3.10.12")]
    public void ToYaml_quotes_strings_like_pyyaml(string value, string expectedLine)
    {
        var file = new MlModelFile
        {
            Flavors = new Dictionary<string, IReadOnlyDictionary<string, object?>> { ["f"] = new Dictionary<string, object?> { ["k"] = value } },
        };

        var yaml = file.ToYaml();

        Assert.Contains("\n    " + expectedLine + "\n", yaml, StringComparison.Ordinal);
        Assert.Equal(value, MlModelFile.Parse(yaml).Flavors["f"]["k"]);
    }

    [Fact]
    public void FormatTime_matches_pythons_str_of_a_datetime()
    {
        var time = new DateTimeOffset(2024, 3, 11, 10, 15, 42, TimeSpan.FromHours(1)).AddTicks(1_234_560);

        Assert.Equal("2024-03-11 09:15:42.123456", MlModelFile.FormatTime(time));
    }

    [Theory]
    [InlineData("flavors: [", "not valid YAML")]
    [InlineData("- a\n- b\n", "top level")]
    [InlineData("model_uuid: x\n", "MLmodel.flavors")]
    [InlineData("flavors:\n  onnx: {data: model.onnx}\nsignature:\n  inputs: '[{\"type\": \"decimal\"}]'\n", "MLmodel.signature.inputs[0].type")]
    [InlineData("flavors:\n  onnx: {data: model.onnx}\nsignature:\n  inputs: 'not json'\n", "MLmodel.signature.inputs")]
    [InlineData("flavors:\n  onnx: {data: model.onnx}\nsignature: 12\n", "MLmodel.signature")]
    public void Parse_rejects_malformed_files_naming_the_field(string yaml, string field)
    {
        var error = Assert.Throws<RegistryException>(() => MlModelFile.Parse(yaml));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }
}
