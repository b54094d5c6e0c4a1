namespace Slipway.Packaging;

/// <summary>How <see cref="ModelPackager"/> builds a package from a bare model file.</summary>
/// <param name="ColumnNames">
/// Names for the columns of a model that takes one 2-D float or double tensor; the count must match the tensor's
/// second dimension. With names the signature is column-based, without them tensor-based. Default none.
/// </param>
/// <param name="InputExamplePath">An input example: MLflow JSON (<c>dataframe_split</c>, <c>dataframe_records</c>, <c>inputs</c>) or a CSV file with a header. Default none.</param>
public sealed record PackageOptions(IReadOnlyList<string>? ColumnNames = null, string? InputExamplePath = null);
