using Slipway.Serving.Hosting;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Tests.Canary;

public sealed class TrafficRoutingTests
{
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void The_sticky_hash_is_32_bit_FNV_1a_of_the_UTF_8_bytes(string value, uint expected) =>
        Assert.Equal(expected, TrafficSplit.StickyHash(value));

    [Fact]
    public void The_sticky_hash_reads_non_ASCII_values_as_UTF_8()
    {
        // "é" is C3 A9 in UTF-8: the hash of those two bytes, not of the UTF-16 code unit.
        var expected = unchecked(((0x811c9dc5u ^ 0xC3u) * 16777619u ^ 0xA9u) * 16777619u);

        Assert.Equal(expected, TrafficSplit.StickyHash("é"));
    }

    [Fact]
    public void Integer_and_string_outputs_compare_by_rows_equal_and_float_outputs_by_mean_absolute_difference()
    {
        var stable = new[]
        {
            new Tensor("label", TensorType.Int64, [4], new long[] { 0, 1, 2, 1 }),
            new Tensor("probabilities", TensorType.Float32, [2, 2], new float[] { 0.5f, 0.5f, 0.25f, 0.75f }),
            new Tensor("name", TensorType.String, [2], new[] { "a", "b" }),
            new Tensor("only_stable", TensorType.Int64, [1], new long[] { 1 }),
        };
        var shadow = new[]
        {
            new Tensor("name", TensorType.String, [2], new[] { "a", "c" }),
            new Tensor("label", TensorType.Int32, [4], new[] { 0, 1, 1, 1 }),
            new Tensor("probabilities", TensorType.Float64, [2, 2], new double[] { 0.5, 0.5, 0.5, 0.5 }),
        };

        var comparisons = ShadowComparer.Compare(stable, shadow);

        Assert.Equal(
            [
                new OutputComparison("label", ComparisonKind.Agreement, 0.75, 4),
                new OutputComparison("probabilities", ComparisonKind.MeanAbsoluteDifference, 0.125, 2),
                new OutputComparison("name", ComparisonKind.Agreement, 0.5, 2),
            ],
            comparisons);
    }

    [Fact]
    public void A_row_agrees_only_when_all_its_values_do_and_outputs_of_another_shape_are_left_out()
    {
        var stable = new[]
        {
            new Tensor("top2", TensorType.Int64, [2, 2], new long[] { 1, 2, 3, 4 }),
            new Tensor("scores", TensorType.Float32, [2], new float[] { 1, 2 }),
        };
        var shadow = new[]
        {
            new Tensor("top2", TensorType.Int64, [2, 2], new long[] { 1, 2, 3, 5 }),
            new Tensor("scores", TensorType.Float32, [3], new float[] { 1, 2, 3 }),
        };

        var comparison = Assert.Single(ShadowComparer.Compare(stable, shadow));

        Assert.Equal(new OutputComparison("top2", ComparisonKind.Agreement, 0.5, 2), comparison);
    }
}
