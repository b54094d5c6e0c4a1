using System.CommandLine;
using Slipway.Cli.CommandLine;
using Slipway.Cli.Connection;
using Slipway.Cli.Serving;
using Slipway.Server;

namespace Slipway.Cli.Server;

/// <summary>
/// <c>slipway server [--urls URL] [--store URI] [--artifacts URI]</c>: the registry server, until Ctrl+C or SIGTERM.
/// Without <c>--store</c>/<c>--artifacts</c> it serves the embedded registry in <c>--registry DIR</c> (default
/// <c>./.slipway</c>).
/// </summary>
public static class ServerCommand
{
    /// <summary>The default listen address (MLflow's default port, loopback only).</summary>
    public const string DefaultUrls = "http://127.0.0.1:5000";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            HelpName = "url",
            Description = "Address(es) to listen on, separated by ';'",
            DefaultValueFactory = _ => DefaultUrls,
        };
        var store = new Option<string?>("--store") { HelpName = "uri", Description = "Metadata store: sqlite:PATH or postgresql://user:pw@host:port/db" };
        var artifacts = new Option<string?>("--artifacts") { HelpName = "uri", Description = "Artifact store: a directory or s3://bucket/prefix" };
        var serve = new Option<string[]>("--serve")
        {
            HelpName = "model-uri",
            Description = "Also serve this model from the server's registry (repeatable): models:/NAME/VERSION or models:/NAME@ALIAS",
            AllowMultipleArgumentsPerToken = false,
        };
        var serving = new ServingCliOptions();
        var command = new Command("server", "Run the registry server (MLflow REST API, artifact proxy) until Ctrl+C; data in --registry DIR (default ./.slipway) unless --store/--artifacts say otherwise") { urls, store, artifacts, serve };
        serving.AddTo(command);
        CommandRunner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var embedded = EmbeddedDirectory(context.RegistryOption);
            var models = parse.GetValue(serve) ?? [];
            var options = new SlipwayServerOptions
            {
                Urls = parse.GetValue(urls)!,
                Store = parse.GetValue(store),
                Artifacts = parse.GetValue(artifacts),
                EmbeddedDirectory = embedded,
                Serving = models.Length > 0 ? serving.Build(parse, models) : null,
                Monitoring = models.Length > 0 ? serving.BuildMonitoring(parse, embedded) : null,
            };
            await SlipwayServerHost.RunAsync(options, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The server's embedded directory: <c>--registry DIR</c> when given, else <c>./.slipway</c>.</summary>
    public static string EmbeddedDirectory(string? registryOption)
    {
        var address = RegistryAddress.Parse(registryOption ?? RegistryAddress.DefaultDirectory);
        return address.Directory
            ?? throw new CliException($"the server keeps its registry in a local directory; --registry '{registryOption}' is a URL.");
    }
}
