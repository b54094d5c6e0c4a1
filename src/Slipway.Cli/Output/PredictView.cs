namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>predict</c>.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Version">The version that scored the file.</param>
/// <param name="Input">Full path of the input file.</param>
/// <param name="Output">Full path of the predictions file.</param>
/// <param name="Rows">Rows scored.</param>
/// <param name="Seconds">Wall-clock seconds from loading the model to the last row written.</param>
/// <param name="RowsPerSecond">Rows divided by the seconds spent scoring (after the model was loaded).</param>
public sealed record PredictView(string Name, long Version, string Input, string Output, long Rows, double Seconds, double RowsPerSecond);
