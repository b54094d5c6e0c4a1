using System.Text.Json.Serialization;

namespace Slipway.Cli.Build;

/// <summary>Source-generated JSON for <c>slipway build</c>'s result (snake_case, like the other commands).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(BuildView))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
