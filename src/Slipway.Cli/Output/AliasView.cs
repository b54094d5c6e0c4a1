namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>alias set</c> and <c>alias delete</c>.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Alias">The alias.</param>
/// <param name="Version">The version it now points to, or null after a delete.</param>
/// <param name="Reason">The reason recorded in the history, or empty.</param>
public sealed record AliasView(string Name, string Alias, long? Version, string Reason);
