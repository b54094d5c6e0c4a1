using System.Text.Json.Serialization.Metadata;
using Slipway.Mlflow;
using Slipway.Mlflow.Contracts;

namespace Slipway.Server.Http;

/// <summary>Writes MLflow-shaped JSON answers.</summary>
internal static class Responses
{
    /// <summary>Writes <paramref name="value"/> as a 200 JSON answer.</summary>
    public static Task JsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> type) =>
        context.Response.WriteAsJsonAsync(value, type, contentType: "application/json", context.RequestAborted);

    /// <summary>Writes <c>{}</c>.</summary>
    public static Task EmptyAsync(HttpContext context) =>
        JsonAsync(context, EmptyMessage.Instance, MlflowJsonContext.Default.EmptyMessage);

    /// <summary>Writes MLflow's error body with a status.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ErrorMessage { ErrorCode = code, Message = message },
            MlflowJsonContext.Default.ErrorMessage,
            contentType: "application/json",
            CancellationToken.None);
    }
}
