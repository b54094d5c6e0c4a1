using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>
/// One column of the predictions file: a 1-D output is one column under its own name; each position of a wider
/// output (<c>[rows, k]</c>, or more dimensions flattened per row) is a column <c>name_0</c> ... <c>name_{k-1}</c>.
/// </summary>
/// <param name="Name">The column name.</param>
/// <param name="Output">The index of the output tensor.</param>
/// <param name="Offset">The element offset within a row of that output.</param>
/// <param name="Stride">The elements per row of that output.</param>
/// <param name="Type">The element type.</param>
internal sealed record OutputColumn(string Name, int Output, int Offset, int Stride, TensorType Type)
{
    /// <summary>The columns of a chunk's outputs, in output order.</summary>
    public static IReadOnlyList<OutputColumn> For(IReadOnlyList<Tensor> outputs, long rows)
    {
        var columns = new List<OutputColumn>();
        for (var o = 0; o < outputs.Count; o++)
        {
            var output = outputs[o];
            var stride = rows == 0 ? 1 : (int)(output.ElementCount / rows);
            if (output.Shape.Length <= 1 || stride == 1)
            {
                columns.Add(new OutputColumn(output.Name, o, 0, Math.Max(stride, 1), output.Type));
                continue;
            }

            for (var k = 0; k < stride; k++)
            {
                columns.Add(new OutputColumn(output.Name + "_" + k.ToString(System.Globalization.CultureInfo.InvariantCulture), o, k, stride, output.Type));
            }
        }

        return columns;
    }

    /// <summary>This column's values for <paramref name="rows"/> rows, copied out of <paramref name="outputs"/>.</summary>
    public Array Extract(IReadOnlyList<Tensor> outputs, int rows)
    {
        var source = outputs[Output].Data;
        if (Stride == 1 && source.Length == rows)
        {
            return source;
        }

        var column = Type.NewArray(rows);
        for (var r = 0; r < rows; r++)
        {
            Array.Copy(source, (r * Stride) + Offset, column, r, 1);
        }

        return column;
    }
}
