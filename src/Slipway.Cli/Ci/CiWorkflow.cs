namespace Slipway.Cli.Ci;

/// <summary>
/// A generated deployment pipeline: where it goes in the repository and its YAML. Both providers run the same four
/// stages in order: validate the version against the alias's gates (a recorded dry run), build and push its image,
/// roll it out, promote the alias (gated again and recorded; a failed promotion undoes the rollout).
/// </summary>
/// <param name="Path">The file, relative to the repository root.</param>
/// <param name="Yaml">Its content.</param>
public sealed record CiWorkflow(string Path, string Yaml);
