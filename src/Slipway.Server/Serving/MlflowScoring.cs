using Slipway.Serving;

namespace Slipway.Server.Serving;

/// <summary>The MLflow scoring codec as the endpoints use it: content-type check, parse and bind, response.</summary>
internal static class MlflowScoring
{
    public static void CheckContentType(string? contentType) => _ = contentType;

    public static InferenceRequest Parse(ReadOnlyMemory<byte> body, string? contentType, ModelContract contract) =>
        throw new ScoringException(501, "NOT_IMPLEMENTED", "MLflow scoring is not available yet.");

    public static void WriteResponse(PooledBufferWriter output, InferenceResult result) => _ = result;
}
