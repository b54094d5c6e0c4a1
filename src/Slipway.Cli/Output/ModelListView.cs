namespace Slipway.Cli.Output;

// Part of the --output json contract: fields are only ever added, never renamed or removed.
/// <summary>The result of <c>models list</c>.</summary>
/// <param name="Models">The models, ordered by name.</param>
public sealed record ModelListView(IReadOnlyList<ModelView> Models);
