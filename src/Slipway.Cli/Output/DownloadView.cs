namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>models download</c>.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Version">The downloaded version.</param>
/// <param name="Directory">Full path of the directory the files were written to.</param>
/// <param name="Files">The files written, sorted by path.</param>
/// <param name="Bytes">Total bytes written.</param>
public sealed record DownloadView(string Name, long Version, string Directory, IReadOnlyList<FileView> Files, long Bytes);
