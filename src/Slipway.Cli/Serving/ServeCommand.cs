using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Server.Serving;
using Slipway.Server.Webhooks;

namespace Slipway.Cli.Serving;

/// <summary>
/// <c>slipway serve MODEL_URI... [--urls URL]</c>: a serving node. Loads each model from the registry
/// (<c>--registry</c>: a Slipway server or an embedded directory), answers MLflow <c>/invocations</c> and the Open
/// Inference Protocol V2, and follows alias URIs: when an alias moves, the new version is loaded, validated and swapped
/// in without a failed request. Runs until Ctrl+C or SIGTERM, then drains requests in flight.
/// </summary>
public static class ServeCommand
{
    /// <summary>The default listen address.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var models = new Argument<string[]>("model-uri")
        {
            Description = "Models to serve: models:/NAME/VERSION or models:/NAME@ALIAS (followed when the alias moves)",
            Arity = ArgumentArity.OneOrMore,
        };
        var urls = new Option<string>("--urls")
        {
            HelpName = "url",
            Description = "Address(es) to listen on, separated by ';'",
            DefaultValueFactory = _ => DefaultUrls,
        };
        var serving = new ServingCliOptions();
        var command = new Command("serve", "Serve models from the registry (MLflow /invocations, Open Inference Protocol V2, /metrics) until Ctrl+C; follows alias moves") { models, urls };
        serving.AddTo(command);
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var options = serving.Build(parse, parse.GetValue(models) ?? []);
            var monitoring = serving.BuildMonitoring(parse, context.ResolveRegistry().Directory);
            var connection = await context.OpenRegistryAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                // On a local registry this node also delivers its webhook events (as a server on it would).
                var events = connection.Embedded is { } stores ? new LocalEventDelivery(stores.Metadata, stores.Metadata) : null;
                var app = await ServingServer.StartAsync(parse.GetValue(urls)!, connection.Registry, options, monitoring, connection.Deployments, null, events, cancellationToken).ConfigureAwait(false);
                await using (app.ConfigureAwait(false))
                {
                    foreach (var url in app.Urls)
                    {
                        await Console.Out.WriteLineAsync($"Slipway serving {string.Join(", ", options.Models.Select(m => m.Uri))} on {url}").ConfigureAwait(false);
                    }

                    await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl+C or SIGTERM: stop, draining requests in flight.
                    }

                    await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
