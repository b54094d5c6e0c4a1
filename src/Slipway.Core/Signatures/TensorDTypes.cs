namespace Slipway.Core.Signatures;

/// <summary>The NumPy dtype names Slipway accepts in a <see cref="TensorSpec"/>.</summary>
public static class TensorDTypes
{
    /// <summary>Every accepted dtype name, e.g. <c>float32</c>, <c>int64</c>, <c>bool</c>, <c>str</c>, <c>object</c>.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "str", "bytes", "object", "datetime64[ns]",
    };

    /// <summary>Whether <paramref name="dtype"/> is an accepted dtype name (case-sensitive).</summary>
    public static bool IsKnown(string? dtype) => dtype is not null && All.Contains(dtype);
}
