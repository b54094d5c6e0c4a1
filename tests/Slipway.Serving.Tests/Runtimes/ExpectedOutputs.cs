using System.Text.Json;

namespace Slipway.Serving.Tests.Runtimes;

/// <summary>
/// A scikit-learn model's <c>*.expected.json</c>: the input rows and what scikit-learn predicted for them
/// (<c>label</c> and <c>probabilities</c> for classifiers, <c>variable</c> for regressors).
/// </summary>
public sealed record ExpectedOutputs(double[][] Input, long[]? Label, double[][]? Probabilities, double[][]? Variable)
{
    public int Rows => Input.Length;

    public int Features => Input[0].Length;

    public static ExpectedOutputs Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        return new ExpectedOutputs(
            Matrix(root.GetProperty("input")),
            root.TryGetProperty("label", out var label) ? label.EnumerateArray().Select(l => l.GetInt64()).ToArray() : null,
            root.TryGetProperty("probabilities", out var probabilities) ? Matrix(probabilities) : null,
            root.TryGetProperty("variable", out var variable) ? Matrix(variable) : null);
    }

    /// <summary>The input as one row-major float matrix, as the models take it.</summary>
    public float[] InputMatrix() => Input.SelectMany(r => r.Select(v => (float)v)).ToArray();

    /// <summary>Column <paramref name="index"/> of the input.</summary>
    public float[] InputColumn(int index) => Input.Select(r => (float)r[index]).ToArray();

    private static double[][] Matrix(JsonElement rows) =>
        rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
}
