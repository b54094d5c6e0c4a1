using System.Globalization;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Hosting;

/// <summary>
/// Compares a shadow's answer with the stable one, output by output (matched by name): for floating-point outputs the
/// mean absolute difference of the values, for the others (integers, booleans, strings) the share of rows whose values
/// are all equal. Outputs the shadow lacks, or whose shapes differ, are left out.
/// </summary>
public static class ShadowComparer
{
    /// <summary>The comparisons, in the stable answer's output order.</summary>
    public static IReadOnlyList<OutputComparison> Compare(IReadOnlyList<Tensor> stable, IReadOnlyList<Tensor> shadow)
    {
        ArgumentNullException.ThrowIfNull(stable);
        ArgumentNullException.ThrowIfNull(shadow);
        var comparisons = new List<OutputComparison>(stable.Count);
        foreach (var expected in stable)
        {
            Tensor? actual = null;
            foreach (var candidate in shadow)
            {
                if (string.Equals(candidate.Name, expected.Name, StringComparison.Ordinal))
                {
                    actual = candidate;
                    break;
                }
            }

            if (actual is null || !expected.Shape.AsSpan().SequenceEqual(actual.Shape))
            {
                continue;
            }

            comparisons.Add(IsFloat(expected.Type) && IsFloat(actual.Type)
                ? new OutputComparison(expected.Name, ComparisonKind.MeanAbsoluteDifference, MeanAbsoluteDifference(expected, actual), expected.Rows)
                : new OutputComparison(expected.Name, ComparisonKind.Agreement, Agreement(expected, actual), expected.Rows));
        }

        return comparisons;
    }

    private static bool IsFloat(TensorType type) => type is TensorType.Float16 or TensorType.Float32 or TensorType.Float64;

    private static double MeanAbsoluteDifference(Tensor expected, Tensor actual)
    {
        var count = expected.Data.Length;
        if (count == 0)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += Math.Abs(AsDouble(expected, i) - AsDouble(actual, i));
        }

        return sum / count;
    }

    private static double Agreement(Tensor expected, Tensor actual)
    {
        var rows = expected.Rows;
        if (rows == 0)
        {
            return 1;
        }

        var width = expected.Data.Length / rows;
        long equal = 0;
        for (long row = 0; row < rows; row++)
        {
            var same = true;
            for (long j = 0; j < width && same; j++)
            {
                var i = (int)((row * width) + j);
                same = string.Equals(AsText(expected, i), AsText(actual, i), StringComparison.Ordinal);
            }

            if (same)
            {
                equal++;
            }
        }

        return (double)equal / rows;
    }

    private static double AsDouble(Tensor tensor, int i) => tensor.Type switch
    {
        TensorType.Float16 => (double)tensor.As<Half>()[i],
        TensorType.Float32 => tensor.As<float>()[i],
        _ => tensor.As<double>()[i],
    };

    // Integer outputs of different widths (int32 labels against int64 ones) compare by value, so through text: this runs
    // in the background on mirrored requests only, where clarity beats speed.
    private static string AsText(Tensor tensor, int i) => tensor.Data.GetValue(i) switch
    {
        string text => text,
        bool flag => flag ? "1" : "0",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        var other => other?.ToString() ?? string.Empty,
    };
}
