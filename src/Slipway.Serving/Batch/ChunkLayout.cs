using Slipway.Serving.Tensors;

namespace Slipway.Serving.Batch;

/// <summary>
/// How the columns of an input file fill a model's inputs, chunk by chunk. A column-based model takes the file's
/// columns by name (extra columns are ignored, so identifiers can stay in the file); a model with one tensor input of
/// shape <c>[-1, k]</c> takes all <c>k</c> columns of the file in order; one of shape <c>[-1]</c> takes a single column.
/// </summary>
public sealed class ChunkLayout
{
    private readonly int[] _widths;

    private ChunkLayout(ModelContract contract, IReadOnlyList<ColumnTarget> targets)
    {
        Contract = contract;
        Targets = targets;
        _widths = new int[contract.Inputs.Count];
        foreach (var target in targets)
        {
            _widths[target.Input] = target.Stride;
        }
    }

    /// <summary>The model the chunks are for.</summary>
    public ModelContract Contract { get; }

    /// <summary>One entry per file column that feeds the model, in file order.</summary>
    public IReadOnlyList<ColumnTarget> Targets { get; }

    /// <summary>Maps the file's <paramref name="columns"/> (its header) onto <paramref name="contract"/>'s inputs.</summary>
    /// <exception cref="BatchScoringException">The file lacks a column the model needs, or the model's inputs cannot be filled from a table.</exception>
    public static ChunkLayout Create(ModelContract contract, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(columns);
        var targets = new List<ColumnTarget>();
        if (contract.IsTabular)
        {
            for (var i = 0; i < contract.Inputs.Count; i++)
            {
                var input = contract.Inputs[i];
                if (!columns.Contains(input.Name, StringComparer.Ordinal))
                {
                    throw new BatchScoringException($"the input file has no column '{input.Name}', which the model needs (file columns: {string.Join(", ", columns)}).");
                }

                targets.Add(new ColumnTarget(input.Name, i, 0, 1, input.Type));
            }

            return new ChunkLayout(contract, [.. targets.OrderBy(t => IndexOf(columns, t.FileColumn))]);
        }

        if (contract.Inputs.Count != 1)
        {
            throw new BatchScoringException(
                $"the model takes {contract.Inputs.Count} tensors ({string.Join(", ", contract.Inputs.Select(i => i.Name))}); batch scoring fills either named columns or a single tensor from a table.");
        }

        var tensor = contract.Inputs[0];
        var width = tensor.Shape.Length switch
        {
            1 => 1L,
            2 => tensor.Shape[1],
            _ => throw new BatchScoringException($"the model's input '{tensor.Name}' has rank {tensor.Shape.Length}; batch scoring fills rank-1 or rank-2 inputs from a table."),
        };
        if (width == -1)
        {
            width = columns.Count;
        }

        if (width != columns.Count)
        {
            throw new BatchScoringException($"the model's input '{tensor.Name}' takes {width} values per row but the input file has {columns.Count} columns ({string.Join(", ", columns)}).");
        }

        for (var j = 0; j < columns.Count; j++)
        {
            targets.Add(new ColumnTarget(columns[j], 0, j, (int)width, tensor.Type));
        }

        return new ChunkLayout(contract, targets);
    }

    /// <summary>Empty input arrays for a chunk of up to <paramref name="rows"/> rows.</summary>
    public Array[] NewInputArrays(int rows)
    {
        var arrays = new Array[_widths.Length];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = Contract.Inputs[i].Type.NewArray(checked(rows * _widths[i]));
        }

        return arrays;
    }

    /// <summary>
    /// The request for a chunk whose arrays (from <see cref="NewInputArrays"/>) hold <paramref name="rows"/> filled
    /// rows; a short last chunk is copied into arrays of its own size.
    /// </summary>
    public InferenceRequest ToRequest(Array[] arrays, int rows)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var inputs = new Tensor[arrays.Length];
        for (var i = 0; i < arrays.Length; i++)
        {
            var input = Contract.Inputs[i];
            var width = _widths[i];
            var data = arrays[i];
            if (data.Length != rows * width)
            {
                var trimmed = input.Type.NewArray(rows * width);
                Array.Copy(data, trimmed, rows * width);
                data = trimmed;
            }

            long[] shape = input.Shape.Length == 2 ? [rows, width] : [rows];
            inputs[i] = new Tensor(input.Name, input.Type, shape, data);
        }

        return new InferenceRequest(inputs, rows);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
