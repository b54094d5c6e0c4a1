using System.Buffers;
using System.Text.Json;
using Slipway.Serving.Tensors;

namespace Slipway.Serving.Protocols.V2;

/// <summary>
/// Writes the V2 metadata and health documents (all <c>application/json</c>): server metadata (<c>GET /v2</c>), model
/// metadata (<c>GET /v2/models/NAME[/versions/V]</c>) and the health bodies. The Triton client reads health from the
/// status code alone; the bodies follow the protocol's JSON objects for other clients.
/// </summary>
public static class V2MetadataWriter
{
    /// <summary>The protocol extensions this server implements, as listed in server metadata.</summary>
    public static IReadOnlyList<string> Extensions { get; } = ["binary_tensor_data"];

    /// <summary>Writes <c>{"name", "version", "extensions": ["binary_tensor_data"]}</c>.</summary>
    /// <param name="output">Where the body goes.</param>
    /// <param name="serverName">The server's name, e.g. <c>slipway</c>.</param>
    /// <param name="serverVersion">The server's version, e.g. <c>0.4.0</c>.</param>
    public static void WriteServerMetadata(IBufferWriter<byte> output, string serverName, string serverVersion)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        ArgumentNullException.ThrowIfNull(serverVersion);
        Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, serverName);
            writer.WriteString("version"u8, serverVersion);
            writer.WriteStartArray("extensions"u8);
            foreach (var extension in Extensions)
            {
                writer.WriteStringValue(extension);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Writes <c>{"name", "versions": [...], "platform", "inputs": [{"name", "datatype", "shape"}], "outputs": [...]}</c>
    /// for the served version. Inputs are the contract's: one <c>[-1]</c> tensor per column for a column-based model,
    /// so a client sends each column as a 1-D tensor with one value per row; <c>-1</c> marks a dimension of any size.
    /// </summary>
    /// <param name="output">Where the body goes.</param>
    /// <param name="contract">The served version.</param>
    /// <param name="versions">The versions the server can answer for this name; default (null) the contract's version only.</param>
    public static void WriteModelMetadata(IBufferWriter<byte> output, ModelContract contract, IReadOnlyList<string>? versions = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, contract.Name);
            writer.WriteStartArray("versions"u8);
            if (versions is null)
            {
                writer.WriteStringValue(contract.Version);
            }
            else
            {
                foreach (var version in versions)
                {
                    writer.WriteStringValue(version);
                }
            }

            writer.WriteEndArray();
            writer.WriteString("platform"u8, contract.Platform);
            WriteTensors(writer, "inputs"u8, contract.Inputs);
            WriteTensors(writer, "outputs"u8, contract.Outputs);
            writer.WriteEndObject();
        });
    }

    /// <summary>Writes <c>{"live": true|false}</c> for <c>GET /v2/health/live</c>.</summary>
    public static void WriteServerLive(IBufferWriter<byte> output, bool live) => Write(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("live"u8, live);
        writer.WriteEndObject();
    });

    /// <summary>Writes <c>{"ready": true|false}</c> for <c>GET /v2/health/ready</c>.</summary>
    public static void WriteServerReady(IBufferWriter<byte> output, bool ready) => Write(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("ready"u8, ready);
        writer.WriteEndObject();
    });

    /// <summary>Writes <c>{"name", "ready": true|false}</c> for <c>GET /v2/models/NAME[/versions/V]/ready</c>.</summary>
    public static void WriteModelReady(IBufferWriter<byte> output, string modelName, bool ready)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, modelName);
            writer.WriteBoolean("ready"u8, ready);
            writer.WriteEndObject();
        });
    }

    private static void WriteTensors(Utf8JsonWriter writer, ReadOnlySpan<byte> property, IReadOnlyList<TensorInfo> tensors)
    {
        writer.WriteStartArray(property);
        foreach (var tensor in tensors)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, tensor.Name);
            writer.WriteString("datatype"u8, tensor.Type.ToV2Name());
            writer.WriteStartArray("shape"u8);
            foreach (var dimension in tensor.Shape)
            {
                writer.WriteNumberValue(dimension);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void Write(IBufferWriter<byte> output, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output);
        body(writer);
    }
}
