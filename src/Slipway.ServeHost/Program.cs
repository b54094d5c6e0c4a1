using Slipway.ServeHost;

return await ServeHostProgram.RunAsync(args).ConfigureAwait(false);
