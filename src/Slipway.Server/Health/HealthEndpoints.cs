using System.Reflection;

namespace Slipway.Server.Health;

/// <summary><c>GET /health</c> and <c>GET /ping</c> answer <c>OK</c>; <c>GET /version</c> answers the product version.</summary>
internal static class HealthEndpoints
{
    /// <summary>The product version (informational version without build metadata).</summary>
    public static string ProductVersion { get; } = ReadVersion();

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", static context => WriteTextAsync(context, "OK"));
        routes.MapGet("/ping", static context => WriteTextAsync(context, "OK"));
        routes.MapGet("/version", static context => WriteTextAsync(context, ProductVersion));
    }

    private static Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static string ReadVersion()
    {
        var version = typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
