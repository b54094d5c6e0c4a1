namespace Slipway.Deploy.Contracts;

/// <summary>One input of a model as its inference log holds it.</summary>
/// <param name="Name">The input (column or tensor) name.</param>
/// <param name="DType">Its numpy dtype as logged, e.g. <c>float32</c>, <c>int64</c>, <c>str</c>.</param>
/// <param name="Columns">The log columns holding its values, in element order; empty when only the per-row shape was logged.</param>
/// <param name="PerRowElements">Values per row: 1 for a column or <c>[-1]</c> tensor (<see cref="Columns"/> has one entry with no element suffix), k for a <c>[-1, k]</c> tensor; -1 when only the shape was logged.</param>
internal sealed record LoggedInput(string Name, string DType, IReadOnlyList<string> Columns, int PerRowElements)
{
    /// <summary>Whether values are logged one per row under the input's own name (a column, or a <c>[-1]</c> tensor).</summary>
    public bool IsScalar => PerRowElements == 1 && Columns.Count == 1 && Columns[0] == Name;

    /// <summary>The per-row shape as a signature would write it: <c>[-1]</c>, <c>[-1, 4]</c>, or <c>[-1, ?]</c> when unknown.</summary>
    public string Shape => PerRowElements switch
    {
        -1 => "[-1, ?]",
        1 when IsScalar => "[-1]",
        _ => $"[-1, {PerRowElements}]",
    };
}
