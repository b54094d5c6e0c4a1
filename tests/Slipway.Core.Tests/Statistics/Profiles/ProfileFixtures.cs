using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Core.Tests.Statistics.Profiles;

/// <summary>testdata/profiles/profiles.json: data and numpy's statistics of it (made by make_fixtures.py).</summary>
public static class ProfileFixtures
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("testdata", "profiles", "profiles.json"))).RootElement);

    public static IEnumerable<object[]> NumericCaseNames() =>
        Root.Value.GetProperty("numeric").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static JsonElement Numeric(string name) =>
        Root.Value.GetProperty("numeric").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static JsonElement Categorical => Root.Value.GetProperty("categorical");

    public static double[] Doubles(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    public static long[] Longs(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(v => v.GetInt64()).ToArray();

    public static double NumberOrNaN(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? double.NaN : element.GetProperty(property).GetDouble();

    /// <summary>Asserts |actual − expected| ≤ tolerance × max(1, |expected|): absolute near zero, relative for large values.</summary>
    public static void Close(double expected, double actual, double tolerance = 1e-9)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"Expected NaN, got {actual}.");
            return;
        }

        Assert.True(
            Math.Abs(actual - expected) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"Expected {expected:R}, got {actual:R} (tolerance {tolerance}).");
    }
}
