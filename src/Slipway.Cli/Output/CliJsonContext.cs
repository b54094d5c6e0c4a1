using System.Text.Json.Serialization;

namespace Slipway.Cli.Output;

/// <summary>Source-generated JSON for the CLI's <c>--output json</c> results (snake_case, indented).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ModelListView))]
[JsonSerializable(typeof(ModelView))]
[JsonSerializable(typeof(VersionView))]
[JsonSerializable(typeof(VersionListView))]
[JsonSerializable(typeof(AliasView))]
[JsonSerializable(typeof(AliasHistoryView))]
[JsonSerializable(typeof(DownloadView))]
[JsonSerializable(typeof(QuickstartView))]
public sealed partial class CliJsonContext : JsonSerializerContext;
