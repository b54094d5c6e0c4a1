using System.Text.Json.Serialization;
using Slipway.Monitoring.InferenceLog;

namespace Slipway.Monitoring;

/// <summary>Source-generated JSON for the metadata monitoring stores in its files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IReadOnlyList<LoggedColumn>))]
internal sealed partial class MonitoringJson : JsonSerializerContext;
