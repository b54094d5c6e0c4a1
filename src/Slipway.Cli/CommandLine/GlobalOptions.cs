using System.CommandLine;

namespace Slipway.Cli.CommandLine;

/// <summary>The options every command accepts (declared once on the root, recursive).</summary>
public static class GlobalOptions
{
    /// <summary>
    /// <c>--registry URI</c>: an <c>http(s)://</c> Slipway server or a local directory (embedded mode). When absent,
    /// <c>SLIPWAY_TRACKING_URI</c>, then <c>MLFLOW_TRACKING_URI</c>, then <c>./.slipway</c>.
    /// </summary>
    public static Option<string?> Registry { get; } = new("--registry")
    {
        HelpName = "uri",
        Description = "Registry address: http(s)://host:port of a Slipway server, or a local directory (embedded). " +
            "Default: $SLIPWAY_TRACKING_URI, $MLFLOW_TRACKING_URI, ./.slipway",
        Recursive = true,
    };

    /// <summary><c>--output json|table</c>; default <c>table</c>.</summary>
    public static Option<string> Output { get; } = CreateOutputOption();

    private static Option<string> CreateOutputOption()
    {
        var option = new Option<string>("--output")
        {
            Description = "Result format: table (readable) or json (stable snake_case fields, for scripts)",
            DefaultValueFactory = _ => "table",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }
}
