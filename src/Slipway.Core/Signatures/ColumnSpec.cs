namespace Slipway.Core.Signatures;

/// <summary>
/// One column of a column-based MLflow schema: <c>{"type": "double", "name": "x", "required": true}</c>.
/// </summary>
/// <param name="Type">The column's data type.</param>
/// <param name="Name">The column name; <see langword="null"/> for an unnamed (positional) column.</param>
/// <param name="Required">Whether a request must carry the column. Default <see langword="true"/>, as in MLflow.</param>
public sealed record ColumnSpec(ColumnType Type, string? Name = null, bool Required = true);
