using Slipway.Serving.Binding;
using Slipway.Serving.Tensors;
using static Slipway.Serving.Tests.Binding.TestContracts;

namespace Slipway.Serving.Tests.Binding;

public sealed class InputBinderTests
{
    private static Tensor[] Good(int rows = 2) =>
    [
        Doubles("a", Enumerable.Range(0, rows).Select(i => i + 0.5).ToArray()),
        Longs("b", Enumerable.Range(0, rows).Select(i => (long)i).ToArray()),
        Doubles("c", Enumerable.Range(0, rows).Select(i => i + 0.1).ToArray()),
        Strings("name", Enumerable.Range(0, rows).Select(i => "n" + i).ToArray()),
    ];

    private static ScoringException Refused(IReadOnlyList<Tensor> decoded, ModelContract contract, BindingRules rules, IReadOnlyList<string>? outputs = null)
    {
        var e = Assert.Throws<ScoringException>(() => InputBinder.Bind(decoded, contract, rules, outputs));
        Assert.Equal(400, e.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", e.ErrorCode);
        return e;
    }

    [Fact]
    public void Binds_columns_in_contract_order_with_declared_types()
    {
        var request = InputBinder.Bind(Good().Reverse().ToArray(), Table(), BindingRules.Mlflow);

        Assert.Equal(2, request.Rows);
        Assert.Equal(["a", "b", "c", "name", "opt"], request.Inputs.Select(t => t.Name));
        Assert.Equal([TensorType.Float64, TensorType.Int64, TensorType.Float32, TensorType.String, TensorType.Float64], request.Inputs.Select(t => t.Type));
        Assert.Equal([0.1f, 1.1f], request.Inputs[2].As<float>());
    }

    [Fact]
    public void Absent_optional_double_column_is_filled_with_nan()
    {
        var request = InputBinder.Bind(Good(3), Table(), BindingRules.Mlflow);

        Assert.Equal([3L], request.Inputs[4].Shape);
        Assert.All(request.Inputs[4].As<double>(), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Missing_required_columns_are_named_like_mlflow()
    {
        var decoded = Good().Where(t => t.Name is not "b" and not "name").Append(Doubles("zz", 1, 2)).ToArray();

        var e = Refused(decoded, Table(), BindingRules.Mlflow);

        Assert.Equal("Model is missing inputs ['b', 'name']. Note that there were extra inputs: ['zz']", e.Message);
    }

    [Fact]
    public void Extra_columns_are_ignored_for_mlflow_and_refused_in_strict_mode()
    {
        var decoded = Good().Append(Doubles("extra", 1, 2)).ToArray();

        var request = InputBinder.Bind(decoded, Table(), BindingRules.Mlflow);
        Assert.DoesNotContain(request.Inputs, t => t.Name == "extra");

        var e = Refused(decoded, Table(), BindingRules.Strict);
        Assert.Contains("'extra'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Integers_widen_to_floating_and_narrower_integer_types()
    {
        var contract = TwoTensors();
        var decoded = new[]
        {
            new Tensor("x", TensorType.Int64, [1, 2, 2], new long[] { 1, 2, 3, 4 }),
            Longs("k", 7),
        };

        var request = InputBinder.Bind(decoded, contract, BindingRules.Mlflow);

        Assert.Equal([1f, 2f, 3f, 4f], request.Inputs[0].As<float>());
        Assert.Equal([7], request.Inputs[1].As<int>());
    }

    [Fact]
    public void Whole_fractions_narrow_to_integers_but_fractions_and_nan_do_not()
    {
        var x = new Tensor("x", TensorType.Float32, [1, 2, 2], new float[4]);
        Assert.Equal([3], InputBinder.Bind([x, Doubles("k", 3.0)], TwoTensors(), BindingRules.Mlflow).Inputs[1].As<int>());

        var fraction = Refused([x, Doubles("k", 1.5)], TwoTensors(), BindingRules.Mlflow);
        Assert.Equal("Incompatible input types for input 'k'. Can not safely convert float64 to int32: the value 1.5 at row 0 is not a whole number.", fraction.Message);

        var missing = Refused(Good().Where(t => t.Name != "b").Append(Doubles("b", 1, double.NaN)).ToArray(), Table(), BindingRules.Mlflow);
        Assert.StartsWith("column 'b' has a missing value at row 1, but its type int64 cannot hold one", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Integers_out_of_range_are_refused()
    {
        var x = new Tensor("x", TensorType.Float32, [1, 2, 2], new float[4]);

        var e = Refused([x, Longs("k", 1L << 40)], TwoTensors(), BindingRules.Mlflow);

        Assert.Contains("'k'", e.Message, StringComparison.Ordinal);
        Assert.Contains("outside the range of int32", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TensorType.Int32, TensorType.Int64, true)]
    [InlineData(TensorType.Int32, TensorType.Float64, true)]
    [InlineData(TensorType.Float32, TensorType.Float64, true)]
    [InlineData(TensorType.UInt8, TensorType.Int16, true)]
    [InlineData(TensorType.Int32, TensorType.Float32, false)]
    [InlineData(TensorType.Int32, TensorType.Int16, false)]
    [InlineData(TensorType.Bool, TensorType.Float64, false)]
    [InlineData(TensorType.String, TensorType.Float64, false)]
    public void Fixed_size_types_follow_mlflow_upcasts(TensorType from, TensorType to, bool allowed)
    {
        var contract = Table() with { Inputs = [new TensorInfo("v", to, [-1])] };
        var decoded = new Tensor("v", from, [1], from.NewArray(1));

        if (allowed)
        {
            Assert.Equal(to, InputBinder.Bind([decoded], contract, BindingRules.Mlflow).Inputs[0].Type);
        }
        else
        {
            var e = Refused([decoded], contract, BindingRules.Mlflow);
            Assert.Equal($"Incompatible input types for column 'v'. Can not safely convert {from.ToNumpyName()} to {to.ToNumpyName()}.", e.Message);
        }
    }

    [Fact]
    public void Strict_mode_requires_the_exact_datatype_and_names_both()
    {
        var decoded = new Tensor("float_input", TensorType.Float64, [1, 4], new double[4]);

        var e = Refused([decoded], IrisTensor(), BindingRules.Strict);

        Assert.Equal("Incompatible input types for input 'float_input'. Can not safely convert FP64 to FP32.", e.Message);
    }

    [Fact]
    public void Wrong_rank_or_fixed_dimension_names_the_input_and_both_shapes()
    {
        var e = Refused([new Tensor("float_input", TensorType.Float32, [2, 3], new float[6])], IrisTensor(), BindingRules.Strict);
        Assert.Equal("Shape of input 'float_input' (2, 3) does not match expected shape (-1, 4).", e.Message);

        var rank = Refused([new Tensor("float_input", TensorType.Float32, [4], new float[4])], IrisTensor(), BindingRules.Strict);
        Assert.Equal("Shape of input 'float_input' (4,) does not match expected shape (-1, 4).", rank.Message);
    }

    [Fact]
    public void Inputs_must_agree_on_rows()
    {
        var decoded = Good(2).Where(t => t.Name != "c").Append(Doubles("c", 1, 2, 3)).ToArray();

        var e = Refused(decoded, Table(), BindingRules.Mlflow);

        Assert.Equal("All inputs must have the same number of rows: column 'a' has 2, column 'c' has 3.", e.Message);
    }

    [Fact]
    public void Missing_text_and_unfillable_optional_inputs_are_refused()
    {
        var nullText = Good().Where(t => t.Name != "name").Append(Strings("name", "x", null)).ToArray();
        Assert.StartsWith("column 'name' has a missing value at row 1", Refused(nullText, Table(), BindingRules.Mlflow).Message, StringComparison.Ordinal);

        var contract = Table() with { Inputs = [.. Table().Inputs.Take(4), new TensorInfo("opt", TensorType.Int64, [-1], Optional: true)] };
        Assert.Contains("optional column 'opt' is absent", Refused(Good(), contract, BindingRules.Mlflow).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unnamed_tensor_binds_to_a_single_input_only()
    {
        var unnamed = new Tensor(InputBinder.UnnamedInput, TensorType.Float32, [1, 4], new float[4]);
        Assert.Equal("float_input", InputBinder.Bind([unnamed], IrisTensor(), BindingRules.Strict).Inputs[0].Name);

        var e = Refused([unnamed], TwoTensors(), BindingRules.Strict);
        Assert.StartsWith("Model is missing inputs ['x', 'k'].", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_requested_output_is_named()
    {
        var input = new Tensor("float_input", TensorType.Float32, [1, 4], new float[4]);

        var e = Refused([input], IrisTensor(), BindingRules.Strict, ["label", "nope"]);

        Assert.Equal("Unknown output 'nope': the model returns ['label', 'probabilities'].", e.Message);
        Assert.Equal(["label"], InputBinder.Bind([input], IrisTensor(), BindingRules.Strict, ["label"]).Outputs!);
    }

    [Fact]
    public void Exact_types_are_passed_through_without_copying()
    {
        var data = new float[8];
        var input = new Tensor("float_input", TensorType.Float32, [2, 4], data);

        var request = InputBinder.Bind([input], IrisTensor(), BindingRules.Strict);

        Assert.Same(data, request.Inputs[0].Data);
        Assert.Equal(2, request.Rows);
    }
}
