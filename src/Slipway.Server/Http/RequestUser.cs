using Slipway.Mlflow;

namespace Slipway.Server.Http;

/// <summary>
/// The calling user of the current request, from <see cref="MlflowPaths.UserHeader"/>; flows with the request's async
/// context so the registry service can record who moved an alias without knowing about HTTP.
/// </summary>
internal static class RequestUser
{
    private static readonly AsyncLocal<string?> CurrentUser = new();

    /// <summary>The current request's user; empty when the caller did not say (MLflow clients do not).</summary>
    public static string Current => CurrentUser.Value ?? string.Empty;

    /// <summary>Reads the header of a request into <see cref="Current"/>.</summary>
    public static void Set(HttpContext context)
    {
        var header = context.Request.Headers[MlflowPaths.UserHeader];
        if (header.Count == 0 || string.IsNullOrEmpty(header[0]))
        {
            CurrentUser.Value = null;
            return;
        }

        // The client escapes the name so any user name survives HTTP's header character rules.
        var value = header[0]!;
        CurrentUser.Value = Uri.UnescapeDataString(value.Length > 256 ? value[..256] : value);
    }

    /// <summary>
    /// Makes <paramref name="user"/> the current user for the rest of the calling async flow (an MLflow client names
    /// the user of a new run in the body rather than in the header). The caller's caller is unaffected.
    /// </summary>
    public static void Use(string user) => CurrentUser.Value = user;
}
