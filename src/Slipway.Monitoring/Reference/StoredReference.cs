namespace Slipway.Monitoring.Reference;

/// <summary>Where a model version's reference lies in the registry's artifact store, as its version tags record it.</summary>
/// <param name="Model">The registered model.</param>
/// <param name="Version">The version.</param>
/// <param name="DataPath">The artifact path of the reference data (Parquet).</param>
/// <param name="Rows">Rows in the reference data.</param>
/// <param name="Columns">The feature columns stored.</param>
/// <param name="Source">The file name the reference was read from.</param>
/// <param name="ReplacedDataPath">The data path of the reference this one replaced (its artifacts are kept), or null.</param>
public sealed record StoredReference(
    string Model,
    long Version,
    string DataPath,
    long Rows,
    IReadOnlyList<string> Columns,
    string Source,
    string? ReplacedDataPath);
