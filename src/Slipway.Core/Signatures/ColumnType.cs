namespace Slipway.Core.Signatures;

/// <summary>
/// MLflow's column data types (<c>mlflow.types.DataType</c>), as used in column-based signatures.
/// The wire spelling is the lower-case member name: see <see cref="ColumnTypeNames"/>.
/// </summary>
#pragma warning disable CA1720 // The members are MLflow's own type names; other names would hide the one-to-one mapping.
public enum ColumnType
{
    /// <summary><c>boolean</c>: true or false.</summary>
    Boolean,

    /// <summary><c>integer</c>: 32-bit signed integer.</summary>
    Integer,

    /// <summary><c>long</c>: 64-bit signed integer.</summary>
    Long,

    /// <summary><c>float</c>: 32-bit floating point.</summary>
    Float,

    /// <summary><c>double</c>: 64-bit floating point.</summary>
    Double,

    /// <summary><c>string</c>: text.</summary>
    String,

    /// <summary><c>binary</c>: a sequence of raw bytes (base64 on JSON wires).</summary>
    Binary,

    /// <summary><c>datetime</c>: a timestamp (nanosecond precision in MLflow).</summary>
    Datetime,
}
#pragma warning restore CA1720
