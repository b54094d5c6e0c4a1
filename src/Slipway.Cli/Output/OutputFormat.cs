namespace Slipway.Cli.Output;

/// <summary>How a command writes its result to standard output.</summary>
public enum OutputFormat
{
    /// <summary>Readable tables (the default).</summary>
    Table,

    /// <summary>JSON with stable snake_case fields, for scripts.</summary>
    Json,
}
