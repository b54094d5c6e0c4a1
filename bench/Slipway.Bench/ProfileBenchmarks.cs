using BenchmarkDotNet.Attributes;
using Slipway.Core.Statistics.Drift;
using Slipway.Core.Statistics.Profiles;

namespace Slipway.Bench;

/// <summary>
/// The cost of profiling one feature value (the budget is 50 ns): <see cref="NumericProfileBuilder.Add(ReadOnlySpan{double})"/>
/// over 1M doubles binned on ~20 reference edges (Sturges edges of a 1M-value reference) with the quantile sketch, against a
/// plain sum over the same span as the floor. Divide a mean by <see cref="Values"/> for nanoseconds per value.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ProfileBenchmarks
{
    /// <summary>Values per operation.</summary>
    public const int Values = 1_000_000;

    private double[] _values = [];
    private float[] _floats = [];
    private double[] _edges = [];
    private NumericProfileBuilder? _builder;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _values = new double[Values];
        for (var i = 0; i < _values.Length; i++)
        {
            // Normal values, 1% missing: the shape of a live feature.
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            _values[i] = i % 100 == 0 ? double.NaN : 50 + (10 * normal);
        }

        _floats = Array.ConvertAll(_values, v => (float)v);
        var reference = ReferenceProfile.Build([DriftColumn.Numeric("x", _values)]);
        _edges = reference.Features[0].Numeric!.BinEdges.ToArray();
        _builder = new NumericProfileBuilder(_edges);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Values)]
    public double PlainSum()
    {
        var sum = 0.0;
        foreach (var value in _values)
        {
            sum += value;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Values)]
    public long NumericProfileAdd()
    {
        var builder = _builder!;
        builder.Clear();
        builder.Add(_values);
        return builder.Count;
    }

    [Benchmark(OperationsPerInvoke = Values)]
    public long NumericProfileAddFloats()
    {
        var builder = _builder!;
        builder.Clear();
        builder.Add(_floats);
        return builder.Count;
    }
}
