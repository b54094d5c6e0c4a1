using Slipway.Core.Signatures;

namespace Slipway.Deploy.Contracts;

/// <summary>
/// Which input types a model can take in place of the one it declares without changing any value, as MLflow's schema
/// enforcement decides (<c>_enforce_mlflow_datatype</c>): the same type; a wider type of the same kind (integer to
/// long, float to double, int8 to int64, float16 to float32); an unsigned integer to a strictly wider signed one
/// (uint32 to int64); and an integer of at most 4 bytes to double (integer to double, int32 to float64). Everything else
/// is a type change: long to double (a 64-bit integer does not fit a double exactly), double to float, numbers to text
/// or back, booleans to numbers. Text types (<c>str</c>, <c>object</c>, <c>bytes</c>) accept one another, since
/// Slipway serves all of them as strings. Tensor dtypes follow the same rule (Slipway's binder applies it to tensors as
/// well, where MLflow requires the exact dtype).
/// </summary>
public static class SafeConversions
{
    /// <summary>Whether a column declared <paramref name="required"/> accepts values of <paramref name="supplied"/>.</summary>
    public static bool Accepts(ColumnType required, ColumnType supplied) => Accepts(NumpyName(required), NumpyName(supplied));

    /// <summary>Whether an input of numpy dtype <paramref name="required"/> accepts values of numpy dtype <paramref name="supplied"/>.</summary>
    public static bool Accepts(string required, string supplied)
    {
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(supplied);
        if (string.Equals(required, supplied, StringComparison.Ordinal))
        {
            return true;
        }

        var (wantKind, wantSize) = Describe(required);
        var (haveKind, haveSize) = Describe(supplied);
        if (wantKind == 'T' || haveKind == 'T')
        {
            return wantKind == haveKind;
        }

        if (wantKind == haveKind)
        {
            // Same kind (int, uint, float): widening only. Booleans and datetimes have one size.
            return wantKind != '?' && haveSize <= wantSize;
        }

        if (haveKind == 'u' && wantKind == 'i')
        {
            return haveSize < wantSize;
        }

        // MLflow: "allow (u)int => double conversion" when the integer has at most 6 bytes (so 1, 2 or 4).
        return haveKind is 'i' or 'u' && wantKind == 'f' && wantSize == 8 && haveSize <= 6;
    }

    /// <summary>The numpy dtype a column type is enforced as (MLflow's <c>DataType.to_numpy</c>).</summary>
    public static string NumpyName(ColumnType type) => type switch
    {
        ColumnType.Boolean => "bool",
        ColumnType.Integer => "int32",
        ColumnType.Long => "int64",
        ColumnType.Float => "float32",
        ColumnType.Double => "float64",
        ColumnType.String => "str",
        ColumnType.Binary => "bytes",
        _ => "datetime64[ns]",
    };

    // Kind as numpy's dtype.kind ('b' bool, 'i' int, 'u' uint, 'f' float, 'M' datetime), 'T' for any text, '?' unknown.
    private static (char Kind, int Size) Describe(string dtype) => dtype switch
    {
        "bool" => ('b', 1),
        "int8" => ('i', 1),
        "int16" => ('i', 2),
        "int32" => ('i', 4),
        "int64" => ('i', 8),
        "uint8" => ('u', 1),
        "uint16" => ('u', 2),
        "uint32" => ('u', 4),
        "uint64" => ('u', 8),
        "float16" => ('f', 2),
        "float32" => ('f', 4),
        "float64" => ('f', 8),
        "str" or "object" or "bytes" or "string" => ('T', 0),
        "datetime64[ns]" => ('M', 8),
        _ => ('?', 0),
    };
}
