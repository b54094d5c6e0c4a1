using System.Text.Json.Serialization;

namespace Slipway.Cli.Ci;

/// <summary>Source-generated JSON for the <c>ci</c> commands' <c>--output json</c>.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class CiJson : JsonSerializerContext;
