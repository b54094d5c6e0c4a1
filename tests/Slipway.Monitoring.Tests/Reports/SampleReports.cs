using Slipway.Core.Statistics.Drift;

namespace Slipway.Monitoring.Tests.Reports;

internal static class SampleReports
{
    public const string HostileName = "<script>alert('x')</script>&\"amp\"";

    public static DriftReport TwoFeatures() => new(
        [
            new FeatureDrift(
                "age", FeatureKind.Numeric, DriftMethod.Ks, 1e-12, 0.05, true, 100, 80,
                new DriftHistogram(["[0, 10)", "[10, 20)"], [0.25, 0.75], [0.9, 0.1])),
            new FeatureDrift(
                HostileName, FeatureKind.Categorical, DriftMethod.JensenShannon, double.NaN, 0.1, false, 100, 0,
                new DriftHistogram(["<b>red</b>", "blue"], [0.5, 0.5], [double.NaN, double.NaN])),
        ],
        ReferenceRows: 100,
        CurrentRows: 80,
        DriftShare: 0.5);
}
