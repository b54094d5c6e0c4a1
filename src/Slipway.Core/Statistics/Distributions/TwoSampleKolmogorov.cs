namespace Slipway.Core.Statistics.Distributions;

/// <summary>
/// The exact null distribution of the two-sided two-sample Kolmogorov–Smirnov statistic, computed as scipy 1.10's
/// <c>ks_2samp</c> does (Hodges' lattice-path counting with Viehmann's recursion for 1 − p, and the closed form for
/// equal sizes), including its rounding of the statistic and its fallback when the computation fails.
/// </summary>
public static class TwoSampleKolmogorov
{
    /// <summary>
    /// Pr(D ≥ d) for samples of <paramref name="n"/> and <paramref name="m"/> values. The statistic is first rounded to
    /// the nearest multiple of 1 / lcm(n, m), the only values it can take.
    /// </summary>
    /// <param name="n">Values in the first sample, positive.</param>
    /// <param name="m">Values in the second sample, positive.</param>
    /// <param name="statistic">The statistic, in [0, 1].</param>
    /// <returns>Success (false where scipy falls back to the asymptotic distribution), the rounded statistic and the p-value.</returns>
    public static (bool Success, double RoundedStatistic, double PValue) TryExactSurvival(long n, long m, double statistic)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        var g = GreatestCommonDivisor(n, m);
        var lcm = (double)(n / g) * m;
        var h = (long)Math.Round(statistic * lcm, MidpointRounding.ToEven);
        var rounded = h / lcm;
        if (h == 0)
        {
            return (true, rounded, 1.0);
        }

        var p = n == m ? OutsideSquare(n, h) : OutsideInsideMethod(n, m, g, h);
        if (!double.IsFinite(p) || p < 0 || p > 1)
        {
            return (false, rounded, double.NaN);
        }

        return (true, rounded, p);
    }

    private static double OutsideSquare(long n, long h)
    {
        // Pr(D_{n,n} ≥ h/n) = 2 Σ (−1)^(k−1) C(2n, n − k h) / C(2n, n), evaluated Horner-like from the innermost term
        // to avoid subtractive cancellation.
        var p = 0.0;
        var k = (long)Math.Floor((double)n / h);
        while (k >= 0)
        {
            var term = 1.0;
            for (long j = 0; j < h; j++)
            {
                term = (n - (k * h) - j) * term / (n + (k * h) + j + 1);
            }

            p = term * (1.0 - p);
            k--;
        }

        return 2 * p;
    }

    private static double OutsideInsideMethod(long m, long n, long g, long h)
    {
        // Counts the share of lattice paths from (0, 0) to (m, n) that leave the band |x/m − y/n| < h / lcm, keeping
        // one sliding column of the recursion (Viehmann's form computes 1 − p directly, which is stable for small p).
        if (m < n)
        {
            (m, n) = (n, m);
        }

        var mg = m / g;
        var ng = n / g;
        var minj = 0L;
        var maxj = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var curlen = maxj - minj;
        var lenA = Math.Min((2 * maxj) + 2, n + 1);
        var a = new double[lenA];
        Array.Fill(a, 1.0);
        Array.Clear(a, (int)minj, (int)(maxj - minj));
        for (long i = 1; i <= m; i++)
        {
            var lastminj = minj;
            var lastlen = curlen;
            minj = Math.Max((long)Math.Floor((double)((ng * i) - h) / mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = Math.Min((long)Math.Ceiling((double)((ng * i) + h) / mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }

            var value = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                value = ((a[jj + minj - lastminj] * i) + (value * j)) / (i + j);
                a[jj] = value;
            }

            curlen = maxj - minj;
            if (lastlen > curlen)
            {
                // Carried-over entries beyond the new window are paths already outside: they count fully.
                var start = (int)(maxj - minj);
                var end = (int)Math.Min(start + (lastlen - curlen), lenA);
                for (var k = start; k < end; k++)
                {
                    a[k] = 1;
                }
            }
        }

        return a[maxj - minj - 1];
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
