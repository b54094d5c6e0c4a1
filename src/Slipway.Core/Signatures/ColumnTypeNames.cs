using System.Diagnostics.CodeAnalysis;

namespace Slipway.Core.Signatures;

/// <summary>Maps <see cref="ColumnType"/> to and from MLflow's spelling (<c>"double"</c>, <c>"long"</c>, ...).</summary>
public static class ColumnTypeNames
{
    /// <summary>MLflow's name of the type, e.g. <c>double</c>.</summary>
    public static string ToMlflowName(this ColumnType type) => type switch
    {
        ColumnType.Boolean => "boolean",
        ColumnType.Integer => "integer",
        ColumnType.Long => "long",
        ColumnType.Float => "float",
        ColumnType.Double => "double",
        ColumnType.String => "string",
        ColumnType.Binary => "binary",
        ColumnType.Datetime => "datetime",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    /// <summary>Parses MLflow's name of a column type; names are case-sensitive, as in MLflow.</summary>
    /// <returns><see langword="true"/> when <paramref name="name"/> is one of MLflow's column types.</returns>
    public static bool TryParse(string? name, [NotNullWhen(true)] out ColumnType? type)
    {
        type = name switch
        {
            "boolean" => ColumnType.Boolean,
            "integer" => ColumnType.Integer,
            "long" => ColumnType.Long,
            "float" => ColumnType.Float,
            "double" => ColumnType.Double,
            "string" => ColumnType.String,
            "binary" => ColumnType.Binary,
            "datetime" => ColumnType.Datetime,
            _ => null,
        };
        return type is not null;
    }
}
