using Slipway.Deploy.Gates;

namespace Slipway.Deploy.Tests.Gates;

public sealed class MetricExpressionTests
{
    private static readonly Dictionary<string, double> Values = new()
    {
        ["auc"] = 0.861,
        ["champion.auc"] = 0.872,
        ["accuracy"] = 0.9,
        ["val.loss"] = 0.25,
        ["f1-macro"] = 0.7,
    };

    [Theory]
    [InlineData("auc >= champion.auc - 0.01", false, "0.861 < 0.872 - 0.01 = 0.862")]
    [InlineData("auc >= champion.auc - 0.02", true, "0.861 >= 0.872 - 0.02 = 0.852")]
    [InlineData("accuracy >= 0.9", true, "0.9 >= 0.9")]
    [InlineData("accuracy > 0.9", false, "0.9 <= 0.9")]
    [InlineData("val.loss * 2 <= (accuracy - 0.4)", true, "0.25 * 2 = 0.5 <= (0.9 - 0.4) = 0.5")]
    [InlineData("-auc < -0.5", true, "-0.861 < -0.5")]
    [InlineData("f1-macro != 0.7", false, "0.7 == 0.7")]
    [InlineData("accuracy == 9e-1", true, "0.9 == 0.9")]
    [InlineData("accuracy / 3 < 1", true, "0.9 / 3 = 0.3 < 1")]
    public void Conditions_evaluate_with_the_values_substituted(string text, bool holds, string detail)
    {
        var expression = MetricExpression.Parse(text);

        var evaluation = expression.Evaluate(r => Values[r.Text]);

        Assert.Equal(holds, evaluation.Holds);
        Assert.Equal(detail, evaluation.Detail);
    }

    [Fact]
    public void Non_strict_comparisons_tolerate_binary_rounding()
    {
        // 0.872 - 0.01 is 0.8619999999999999 in binary; a candidate at exactly 0.862 meets the gate.
        var evaluation = MetricExpression.Parse("auc >= champion.auc - 0.01").Evaluate(r => r.Text == "auc" ? 0.862 : 0.872);

        Assert.True(evaluation.Holds);
    }

    [Fact]
    public void References_resolve_against_the_alias()
    {
        var expression = MetricExpression.Parse("auc + candidate.f1 >= champion.auc + current.f1 + val.auc + staging.auc");

        var resolved = expression.References.Select(r => r.Resolve("champion")).ToArray();

        Assert.Equal(
            [(false, "auc"), (false, "f1"), (true, "auc"), (true, "f1"), (false, "val.auc"), (false, "staging.auc")],
            resolved);
    }

    [Fact]
    public void A_missing_value_never_holds()
    {
        Assert.False(MetricExpression.Parse("auc >= 0.5").Evaluate(_ => double.NaN).Holds);
        Assert.False(MetricExpression.Parse("auc != 0.5").Evaluate(_ => double.NaN).Holds);
    }

    [Theory]
    [InlineData("", "the expression is empty")]
    [InlineData("auc", "expected a comparison")]
    [InlineData(">= 0.8", "expected a number or a metric name at '>= 0.8'")]
    [InlineData("auc >= ", "expected a number or a metric name but the expression ends")]
    [InlineData("auc => 0.8", "expected a comparison (>=, >, <=, <, ==, !=) at '=> 0.8'")]
    [InlineData("auc >= 0.8.1", "'0.8.1' is not a number")]
    [InlineData("auc >= (0.8", "missing ')'")]
    [InlineData("auc >= 0.8)", "unexpected ')'")]
    [InlineData("auc >= $x", "expected a number or a metric name at '$x'")]
    public void Malformed_expressions_say_where(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => MetricExpression.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
