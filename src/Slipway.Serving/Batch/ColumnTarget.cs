using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>
/// Where one column of an input file goes in a chunk: into input <see cref="Input"/> of the model, at
/// <c>row * Stride + Offset</c>, converted to <see cref="Type"/>. A table's column has stride 1; the columns of a
/// single 2-D tensor input share it, one offset each.
/// </summary>
/// <param name="FileColumn">The column's name in the file.</param>
/// <param name="Input">The index of the model input in <see cref="ModelContract.Inputs"/>.</param>
/// <param name="Offset">The element offset within a row of that input.</param>
/// <param name="Stride">The elements per row of that input.</param>
/// <param name="Type">The input's element type.</param>
public sealed record ColumnTarget(string FileColumn, int Input, int Offset, int Stride, TensorType Type);
