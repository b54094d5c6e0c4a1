namespace Slipway.Serving.Tensors;

/// <summary>
/// What a model takes or returns under one name: element type and shape, with <c>-1</c> for a dimension of any size
/// (the batch dimension is the first). For a column of a column-based signature the shape is <c>[-1]</c>.
/// </summary>
/// <param name="Name">The input or output name.</param>
/// <param name="Type">The element type.</param>
/// <param name="Shape">The dimensions; <c>-1</c> where any size is accepted.</param>
/// <param name="Optional">Whether the caller may leave it out (an optional column).</param>
public sealed record TensorInfo(string Name, TensorType Type, long[] Shape, bool Optional = false)
{
    /// <summary>Whether the first dimension is variable, i.e. rows of several requests can be stacked.</summary>
    public bool HasBatchDimension => Shape.Length > 0 && Shape[0] == -1;
}
