using BenchmarkDotNet.Running;
using Slipway.Bench;

// `seed ...` and `seed-runs ...` prepare a registry or a tracking store for the HTTP load tests in bench/scripts; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "seed")
{
    return await RegistrySeeder.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "seed-runs")
{
    return await TrackingSeeder.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(RegistrySeeder).Assembly).Run(args);
return 0;
