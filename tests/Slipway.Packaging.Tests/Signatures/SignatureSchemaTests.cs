using Slipway.Core.Registry;
using Slipway.Core.Signatures;

namespace Slipway.Packaging.Tests.Signatures;

public class SignatureSchemaTests
{
    [Fact]
    public void Column_schema_round_trips_in_mlflows_exact_json()
    {
        const string json = """[{"type": "double", "name": "x", "required": true}, {"type": "string", "name": "caf\u00e9", "required": false}]""";

        var schema = SignatureSchema.Parse(json);

        Assert.False(schema.IsTensorBased);
        Assert.Equal([new ColumnSpec(ColumnType.Double, "x"), new ColumnSpec(ColumnType.String, "café", Required: false)], schema.Columns!);
        Assert.Equal(json, schema.ToJson());
    }

    [Fact]
    public void Tensor_schema_round_trips_with_name_first_as_mlflow_writes_it()
    {
        const string json = """[{"name": "float_input", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]""";

        var schema = SignatureSchema.Parse(json);

        Assert.True(schema.IsTensorBased);
        Assert.Equal(new TensorSpec("float32", [-1, 4], "float_input"), Assert.Single(schema.Tensors!));
        Assert.Equal(json, schema.ToJson());
    }

    [Fact]
    public void Missing_required_defaults_to_true_and_unnamed_columns_are_allowed()
    {
        var schema = SignatureSchema.Parse("""[{"type": "long"}, {"type": "datetime"}]""");

        Assert.Equal([new ColumnSpec(ColumnType.Long), new ColumnSpec(ColumnType.Datetime)], schema.Columns!);
        Assert.Equal("""[{"type": "long", "required": true}, {"type": "datetime", "required": true}]""", schema.ToJson());
        Assert.Empty(schema.Names);
    }

    [Fact]
    public void All_mlflow_column_types_parse()
    {
        foreach (var name in new[] { "boolean", "integer", "long", "float", "double", "string", "binary", "datetime" })
        {
            var schema = SignatureSchema.Parse($$"""[{"type": "{{name}}", "name": "c"}]""");
            Assert.Equal(name, schema.Columns![0].Type.ToMlflowName());
        }
    }

    [Fact]
    public void Signature_parts_parse_and_equal_by_value()
    {
        var a = ModelSignature.FromJson("""[{"type": "float", "name": "a"}]""", """[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]""", null);
        var b = new ModelSignature(
            SignatureSchema.FromColumns([new ColumnSpec(ColumnType.Float, "a")]),
            SignatureSchema.FromTensors([new TensorSpec("int64", [-1])]));

        Assert.Equal(b, a);
        Assert.Null(a.ParamsJson);
        Assert.Equal("""[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]""", a.OutputsJson);
    }

    [Theory]
    [InlineData("{}", "signature.inputs: expected a JSON array")]
    [InlineData("[]", "signature.inputs: must list at least one")]
    [InlineData("[1]", "signature.inputs[0]: expected an object")]
    [InlineData("""[{"name": "x"}]""", "signature.inputs[0].type: missing")]
    [InlineData("""[{"type": "decimal", "name": "x"}]""", "signature.inputs[0].type: unsupported type 'decimal'")]
    [InlineData("""[{"type": "double", "name": 3}]""", "signature.inputs[0].name: expected a string")]
    [InlineData("""[{"type": "double", "name": "x", "required": "yes"}]""", "signature.inputs[0].required")]
    [InlineData("""[{"type": "tensor", "name": "x"}]""", "signature.inputs[0].tensor-spec: missing")]
    [InlineData("""[{"type": "tensor", "tensor-spec": {"dtype": "float32"}}]""", "signature.inputs[0].tensor-spec.shape")]
    [InlineData("""[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, "a"]}}]""", "signature.inputs[0].tensor-spec.shape")]
    [InlineData("""[{"type": "tensor", "tensor-spec": {"dtype": "complex256", "shape": [-1]}}]""", "signature.inputs[0].tensor-spec.dtype")]
    [InlineData("""[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-2]}}]""", "signature.inputs[0].tensor-spec.shape")]
    [InlineData("""[{"type": "double", "name": "x"}, {"type": "double"}]""", "mixes named and unnamed")]
    [InlineData("""[{"type": "double", "name": "x"}, {"type": "double", "name": "x"}]""", "name 'x' appears more than once")]
    [InlineData("""[{"type": "double", "name": "x"}, {"type": "tensor", "name": "t", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]""", "mixes column specs and tensor specs")]
    [InlineData("""[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}, {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]""", "several tensors must all be named")]
    [InlineData("not json", "signature.inputs: not valid JSON")]
    public void Bad_schemas_are_rejected_naming_the_field(string json, string message)
    {
        var error = Assert.Throws<RegistryException>(() => ModelSignature.FromJson(json, null));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_params_are_rejected()
    {
        var error = Assert.Throws<RegistryException>(() => ModelSignature.FromJson(null, null, "{\"a\": 1}"));

        Assert.Contains("signature.params", error.Message, StringComparison.Ordinal);
    }
}
