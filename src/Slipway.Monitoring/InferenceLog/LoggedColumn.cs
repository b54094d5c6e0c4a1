namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// Where one feature column of the inference log comes from, as stored in the file's <c>slipway.columns</c> metadata.
/// </summary>
/// <param name="Column">The Parquet column name.</param>
/// <param name="Tensor">The input or output it holds values of.</param>
/// <param name="IsOutput">Whether it is an output (false: an input).</param>
/// <param name="Element">The element within a row for tensors with several values per row; -1 for one value per row, or for the shape column.</param>
/// <param name="Type">The tensor's V2 datatype name, e.g. <c>FP32</c>.</param>
/// <param name="IsShape">Whether the column holds the per-row shape (e.g. <c>28x28</c>) of a tensor too large to log as values.</param>
public sealed record LoggedColumn(string Column, string Tensor, bool IsOutput, int Element, string Type, bool IsShape);
