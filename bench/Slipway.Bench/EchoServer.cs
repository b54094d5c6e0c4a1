using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Slipway.Bench;

/// <summary>
/// The throughput baseline of the serving load test: a bare Kestrel endpoint, <c>POST /invocations</c>, that parses the
/// JSON body and writes it back, with nothing else in the pipeline. Serving does at least this much work per request.
/// </summary>
public static class EchoServer
{
    /// <summary>Runs until killed. Arguments: URL (e.g. http://127.0.0.1:5000).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: echo-server URL");
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(args[0]);
        var app = builder.Build();
        app.MapGet("/health", () => Results.Text("OK"));
        app.MapPost("/invocations", async (HttpContext context) =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            context.Response.ContentType = "application/json";
            var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            await using (writer.ConfigureAwait(false))
            {
                document.WriteTo(writer);
            }
        });
        await app.RunAsync();
        return 0;
    }
}
