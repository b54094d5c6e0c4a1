namespace Slipway.Storage.Metadata;

/// <summary>How a filter value is bound: as text, a 64-bit integer or a double.</summary>
internal enum SearchValueKind
{
    /// <summary>Compared as text.</summary>
    Text,

    /// <summary>Parsed as a 64-bit integer (timestamps, versions).</summary>
    Integer,

    /// <summary>Parsed as a double (metric values).</summary>
    Real,
}
