namespace Slipway.Core.Signatures;

/// <summary>
/// One tensor of a tensor-based MLflow schema:
/// <c>{"name": "float_input", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}</c>.
/// </summary>
/// <param name="DType">NumPy's dtype name, e.g. <c>float32</c>, <c>int64</c>, <c>bool</c>, <c>str</c>: see <see cref="TensorDTypes"/>.</param>
/// <param name="Shape">The dimensions; <c>-1</c> marks a variable dimension (usually the batch).</param>
/// <param name="Name">The tensor name; <see langword="null"/> for a single unnamed tensor.</param>
public sealed record TensorSpec(string DType, IReadOnlyList<long> Shape, string? Name = null)
{
    /// <summary>Value equality, comparing <see cref="Shape"/> element by element.</summary>
    public bool Equals(TensorSpec? other) =>
        other is not null
        && string.Equals(DType, other.DType, StringComparison.Ordinal)
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Shape.SequenceEqual(other.Shape);

    /// <summary>A hash consistent with <see cref="Equals(TensorSpec?)"/>.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(DType, StringComparer.Ordinal);
        hash.Add(Name, StringComparer.Ordinal);
        foreach (var dimension in Shape)
        {
            hash.Add(dimension);
        }

        return hash.ToHashCode();
    }
}
