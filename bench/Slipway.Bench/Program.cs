using BenchmarkDotNet.Running;
using Slipway.Bench;

// `seed`, `seed-runs`, `echo-server` and `make-forest` prepare the HTTP load tests in bench/scripts and their baselines;
// anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "seed")
{
    return await RegistrySeeder.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "seed-runs")
{
    return await TrackingSeeder.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "echo-server")
{
    return await EchoServer.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "make-forest")
{
    return ForestBuilder.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(RegistrySeeder).Assembly).Run(args);
return 0;
