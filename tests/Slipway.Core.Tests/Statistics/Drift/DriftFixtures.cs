using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Core.Tests.Statistics.Drift;

/// <summary>The reference values computed by scipy and numpy (testdata/drift/make_fixtures.py).</summary>
internal static class DriftFixtures
{
    /// <summary>Tolerance for statistics and distances.</summary>
    public const double StatisticTolerance = 1e-9;

    /// <summary>Tolerance for p-values.</summary>
    public const double PValueTolerance = 1e-6;

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Combine("testdata", "drift", "fixtures.json"))));

    public static JsonElement Section(string name) => Document.Value.RootElement.GetProperty(name);

    public static TheoryData<int> Indexes(string section)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Section(section).GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static JsonElement Case(string section, int index) => Section(section)[index];

    public static double[] Doubles(this JsonElement element, string property)
    {
        var array = element.GetProperty(property);
        var values = new double[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = item.GetDouble();
        }

        return values;
    }

    public static double Number(this JsonElement element, string property) => element.GetProperty(property).GetDouble();

    public static long Integer(this JsonElement element, string property) => element.GetProperty(property).GetInt64();

    /// <summary>Absolute tolerance, relative for large magnitudes.</summary>
    public static void Near(double expected, double actual, double tolerance, string what)
    {
        var allowed = tolerance * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= allowed, $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E3})");
    }
}
