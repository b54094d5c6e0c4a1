using Slipway.Cli.CommandLine;

return await SlipwayCli.RunAsync(args).ConfigureAwait(false);
