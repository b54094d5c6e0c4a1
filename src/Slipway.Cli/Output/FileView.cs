namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>One file of a model version.</summary>
/// <param name="Path">Relative path with forward slashes.</param>
/// <param name="Sha256">Lower-case hex SHA-256.</param>
/// <param name="Size">Length in bytes.</param>
public sealed record FileView(string Path, string Sha256, long Size);
