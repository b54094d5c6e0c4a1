using BenchmarkDotNet.Attributes;
using Slipway.Core.Statistics.Drift;

namespace Slipway.Bench;

/// <summary>
/// Drift with all default tests on 1,000,000 rows × 20 numeric features (issue budget: ≤ 1 s), against the floor of the
/// same run: sorting copies of the same 40 columns with <see cref="Array.Sort{T}(T[])"/>, in parallel over features, which
/// every exact two-sample test on raw values needs. The reference is standard normal, the current data shifted by
/// 0.1 in every other feature (fixed seed). Above 1,000 reference rows Evidently's default numeric test is the normed
/// Wasserstein distance, so Detect sorts both sides, computes the distance and the Sturges histogram per feature.
/// </summary>
[MemoryDiagnoser]
public class DriftBenchmarks
{
    private const int Rows = 1_000_000;
    private const int Features = 20;
    private DriftColumn[] _reference = [];
    private DriftColumn[] _current = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240605);
        _reference = new DriftColumn[Features];
        _current = new DriftColumn[Features];
        for (var f = 0; f < Features; f++)
        {
            _reference[f] = DriftColumn.Numeric($"f{f}", Normal(random, 0));
            _current[f] = DriftColumn.Numeric($"f{f}", Normal(random, f % 2 == 0 ? 0.1 : 0));
        }
    }

    [Benchmark(Baseline = true, Description = "Array.Sort of copies of both sides, parallel over features")]
    public double SortBoth()
    {
        var sums = new double[Features];
        Parallel.For(0, Features, f =>
        {
            var reference = (double[])_reference[f].Numbers!.Clone();
            var current = (double[])_current[f].Numbers!.Clone();
            Array.Sort(reference);
            Array.Sort(current);
            sums[f] = reference[0] + current[^1];
        });
        return sums[0];
    }

    [Benchmark(Description = "DriftDetector.Detect, default tests (Wasserstein normed + histograms)")]
    public int Detect() => DriftDetector.Detect(_reference, _current, DriftOptions.Default).DriftedFeatures;

    private static double[] Normal(Random random, double shift)
    {
        var values = new double[Rows];
        for (var i = 0; i < Rows; i += 2)
        {
            // Box–Muller: two independent standard normals per pair of uniforms.
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            values[i] = (radius * Math.Cos(angle)) + shift;
            if (i + 1 < Rows)
            {
                values[i + 1] = (radius * Math.Sin(angle)) + shift;
            }
        }

        return values;
    }
}
