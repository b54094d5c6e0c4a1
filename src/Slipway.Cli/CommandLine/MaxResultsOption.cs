using System.CommandLine;

namespace Slipway.Cli.CommandLine;

/// <summary>The <c>--max N</c> option of the list commands: how many results to show at most.</summary>
public static class MaxResultsOption
{
    /// <summary>Default of <c>--max</c>: 100.</summary>
    public const int Default = 100;

    /// <summary>Creates the option (default <see cref="Default"/>; values below 1 are rejected when read).</summary>
    public static Option<int> Create(string what) => new("--max")
    {
        HelpName = "n",
        Description = $"Show at most this many {what}",
        DefaultValueFactory = _ => Default,
    };

    /// <summary>The value of the option; throws <see cref="CliException"/> when it is below 1.</summary>
    public static int Read(ParseResult parse, Option<int> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var value = parse.GetValue(option);
        return value >= 1 ? value : throw new CliException($"--max must be at least 1 (got {value}).");
    }
}
