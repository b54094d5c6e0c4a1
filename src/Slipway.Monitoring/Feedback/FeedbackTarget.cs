using Slipway.Serving;
using Slipway.Serving.Tensors;

namespace Slipway.Monitoring.Feedback;

/// <summary>
/// Which output of a model feedback is compared with: the first output whose name contains <c>label</c> or whose
/// type is an integer, boolean or text is a class label (classification); otherwise the first float output is a value
/// (regression). Only outputs with one value per row qualify.
/// </summary>
internal static class FeedbackTarget
{
    public static (TensorInfo Output, FeedbackTask Task)? For(ModelContract contract)
    {
        foreach (var output in contract.Outputs)
        {
            if (OneValuePerRow(output) && (output.Name.Contains("label", StringComparison.OrdinalIgnoreCase) || !IsFloat(output.Type)))
            {
                return (output, FeedbackTask.Classification);
            }
        }

        foreach (var output in contract.Outputs)
        {
            if (OneValuePerRow(output) && IsFloat(output.Type))
            {
                return (output, FeedbackTask.Regression);
            }
        }

        return null;
    }

    /// <summary>Whether the predicted value at <paramref name="row"/> equals the actual label.</summary>
    public static bool Matches(Array predicted, int row, FeedbackValue actual) => predicted switch
    {
        string?[] texts => string.Equals(texts[row], actual.Text ?? actual.ToString(), StringComparison.Ordinal),
        bool[] flags => actual.IsNumber && (flags[row] ? 1 : 0) == actual.Number,
        _ => actual.IsNumber ? Number(predicted, row) == actual.Number : Number(predicted, row).ToString("R", System.Globalization.CultureInfo.InvariantCulture) == actual.Text,
    };

    /// <summary>The predicted value at <paramref name="row"/> as a double (NaN for text).</summary>
    public static double Number(Array predicted, int row) => predicted switch
    {
        double[] v => v[row],
        float[] v => v[row],
        Half[] v => (double)v[row],
        long[] v => v[row],
        int[] v => v[row],
        short[] v => v[row],
        sbyte[] v => v[row],
        byte[] v => v[row],
        ushort[] v => v[row],
        uint[] v => v[row],
        ulong[] v => v[row],
        bool[] v => v[row] ? 1 : 0,
        _ => double.NaN,
    };

    /// <summary>The predicted value at <paramref name="row"/> as text.</summary>
    public static string? Text(Array predicted, int row) => predicted is string?[] texts
        ? texts[row]
        : Number(predicted, row).ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsFloat(TensorType type) => type is TensorType.Float16 or TensorType.Float32 or TensorType.Float64;

    private static bool OneValuePerRow(TensorInfo output)
    {
        for (var d = 1; d < output.Shape.Length; d++)
        {
            if (output.Shape[d] != 1)
            {
                return false;
            }
        }

        return true;
    }
}
