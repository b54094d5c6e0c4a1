using Slipway.Serving.Tensors;

namespace Slipway.Serving.Hosting;

/// <summary>Stacks requests row-wise into one request and splits a merged run's outputs back per request.</summary>
internal static class BatchMerger
{
    /// <summary>
    /// Whether <paramref name="next"/> can be stacked under <paramref name="first"/>: the same inputs in the same
    /// order with the same types and the same dimensions after the first.
    /// </summary>
    public static bool CanMerge(InferenceRequest first, InferenceRequest next)
    {
        var a = first.Inputs;
        var b = next.Inputs;
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x.Type != y.Type || x.Shape.Length != y.Shape.Length || x.Shape.Length == 0
                || !string.Equals(x.Name, y.Name, StringComparison.Ordinal)
                || !x.Shape.AsSpan(1).SequenceEqual(y.Shape.AsSpan(1)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One request holding every row of <paramref name="batch"/> (which <see cref="CanMerge"/> accepted), asking for all outputs.</summary>
    public static InferenceRequest Merge(PendingRequest[] batch, int count, long rows)
    {
        var first = batch[0].Request;
        var inputs = new Tensor[first.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var head = first.Inputs[i];
            var shape = (long[])head.Shape.Clone();
            shape[0] = rows;
            var data = head.Type.NewArray(checked((int)Tensor.CountOf(shape)));
            var offset = 0;
            for (var r = 0; r < count; r++)
            {
                var part = batch[r].Request.Inputs[i].Data;
                Array.Copy(part, 0, data, offset, part.Length);
                offset += part.Length;
            }

            inputs[i] = new Tensor(head.Name, head.Type, shape, data);
        }

        return new InferenceRequest(inputs, rows);
    }

    /// <summary>
    /// Splits <paramref name="outputs"/> (of a run over <paramref name="rows"/> merged rows) into each request's rows and
    /// the outputs it asked for; false when an output does not have one entry per row (then the caller runs the
    /// requests one by one).
    /// </summary>
    public static bool TrySplit(IReadOnlyList<Tensor> outputs, PendingRequest[] batch, int count, long rows, IReadOnlyList<Tensor>[] results)
    {
        for (var o = 0; o < outputs.Count; o++)
        {
            if (outputs[o].Shape.Length == 0 || outputs[o].Shape[0] != rows)
            {
                return false;
            }
        }

        long start = 0;
        for (var r = 0; r < count; r++)
        {
            var request = batch[r].Request;
            var wanted = request.Outputs;
            var parts = new List<Tensor>(wanted?.Count ?? outputs.Count);
            for (var o = 0; o < outputs.Count; o++)
            {
                var output = outputs[o];
                if (wanted is not null && !Contains(wanted, output.Name))
                {
                    continue;
                }

                parts.Add(Slice(output, start, request.Rows, rows));
            }

            results[r] = parts;
            start += request.Rows;
        }

        return true;
    }

    private static Tensor Slice(Tensor output, long start, long rowCount, long totalRows)
    {
        var perRow = output.Data.Length / totalRows;
        var shape = (long[])output.Shape.Clone();
        shape[0] = rowCount;
        var data = output.Type.NewArray(checked((int)(perRow * rowCount)));
        Array.Copy(output.Data, start * perRow, data, 0, data.Length);
        return new Tensor(output.Name, output.Type, shape, data);
    }

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
