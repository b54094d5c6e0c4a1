using Slipway.Serving.Tensors;

namespace Slipway.Monitoring;

/// <summary>How many values one row of a tensor holds, which decides how the log and the profiles take it apart.</summary>
internal static class TensorRows
{
    /// <summary>
    /// The values per row: the product of the dimensions after the batch one (1 for a <c>[-1]</c> column or a scalar),
    /// or -1 when a dimension is variable or the tensor has no batch dimension.
    /// </summary>
    public static int ElementsPerRow(TensorInfo info)
    {
        if (!info.HasBatchDimension)
        {
            return info.Shape.Length == 0 ? 1 : -1;
        }

        long count = 1;
        for (var d = 1; d < info.Shape.Length; d++)
        {
            if (info.Shape[d] < 0)
            {
                return -1;
            }

            count *= info.Shape[d];
        }

        return count > int.MaxValue ? -1 : (int)count;
    }
}
