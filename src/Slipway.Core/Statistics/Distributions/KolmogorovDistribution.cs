namespace Slipway.Core.Statistics.Distributions;

/// <summary>
/// The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, computed as scipy's
/// <c>scipy.stats.kstwo</c> does (Simard and L'Ecuyer's choice between Ruben–Gambino, Durbin's matrix, Pomeranz's
/// recursion, the Smirnov sum and the Pelz–Good approximation).
/// </summary>
public static class KolmogorovDistribution
{
    private const int ScaleExponent = 128;
    private const double MinimumLog = -708;
    private static readonly double ScaleUp = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double ScaleDown = Math.ScaleB(1.0, -ScaleExponent);
    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    /// <summary>Pr(D_n &gt; x), as <c>scipy.stats.kstwo.sf(x, n)</c>.</summary>
    /// <param name="n">The sample size, positive.</param>
    /// <param name="x">The statistic.</param>
    public static double Survival(long n, double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        var t = n * x;
        if (t <= 1.0)
        {
            // Ruben–Gambino: for 1/(2n) ≤ x ≤ 1/n the CDF is n! / n^n (2t − 1)^n.
            if (t <= 0.5)
            {
                return 1.0;
            }

            double p;
            if (n <= 140)
            {
                p = 1.0;
                for (long i = 1; i <= n; i++)
                {
                    p *= i * (1.0 / n) * ((2 * t) - 1);
                }
            }
            else
            {
                p = Math.Exp(LogFactorialOverPower(n) + (n * Math.Log((2 * t) - 1)));
            }

            return Clamp01(1.0 - p);
        }

        if (t >= n - 1)
        {
            return Clamp01(2 * Math.Pow(1.0 - x, n));
        }

        if (x >= 0.5)
        {
            return Clamp01(2 * Smirnov(n, x));
        }

        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693)
            {
                return Clamp01(1.0 - Durbin(n, x));
            }

            return nxSquared <= 4 ? Clamp01(1.0 - Pomeranz(n, x)) : Clamp01(2 * Smirnov(n, x));
        }

        if (nxSquared >= 370.0)
        {
            return 0.0;
        }

        if (nxSquared >= 2.2)
        {
            return Clamp01(2 * Smirnov(n, x));
        }

        // nxSquared < 2.2 here, below the 18 where the CDF is taken as 1.
        var cdf = n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4 ? Durbin(n, x) : PelzGood(n, x);
        return Clamp01(1.0 - cdf);
    }

    /// <summary>Pr(D⁺_n ≥ x), the one-sided Smirnov distribution (<c>scipy.special.smirnov(n, x)</c>), by the Birnbaum–Tingey sum.</summary>
    /// <param name="n">The sample size, positive.</param>
    /// <param name="x">The statistic, in [0, 1].</param>
    private static double Smirnov(long n, double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (double.IsNaN(x) || x < 0 || x > 1)
        {
            return double.NaN;
        }

        if (x == 0)
        {
            return 1;
        }

        if (x == 1)
        {
            return 0;
        }

        // Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) x (x + v/n)^(v−1) (1 − x − v/n)^(n−v), every term positive; summed in log space
        // with the binomial coefficient carried from term to term.
        var last = (long)Math.Floor(n * (1.0 - x));
        var logBinomial = 0.0;
        var sum = 0.0;
        for (long v = 0; v <= last; v++)
        {
            var at = x + ((double)v / n);
            var rest = 1.0 - at;
            if (rest > 0)
            {
                var logTerm = logBinomial + ((v - 1) * Math.Log(at)) + ((n - v) * Math.Log(rest));
                if (logTerm > MinimumLog)
                {
                    sum += Math.Exp(logTerm);
                }
            }
            else if (v == n)
            {
                sum += Math.Exp(logBinomial + ((v - 1) * Math.Log(at)));
            }

            logBinomial += Math.Log((double)(n - v) / (v + 1));
        }

        return Math.Clamp(sum * x, 0, 1);
    }

    private static double Clamp01(double probability) => Math.Clamp(probability, 0.0, 1.0);

    private static double LogFactorialOverPower(long n)
    {
        // log(n! / n^n) by Stirling's series.
        var rn = 1.0 / n;
        var polynomial = 0.0;
        foreach (var coefficient in StirlingCoefficients)
        {
            polynomial = (polynomial * (rn / n)) + coefficient;
        }

        return (Math.Log(n) / 2) - n + (Math.Log(2 * Math.PI) / 2) + (rn * polynomial);
    }

    private static double Durbin(long n, double d)
    {
        // Durbin's matrix algorithm (Marsaglia, Tsang and Wang 2003): Pr(D_n ≤ d) = n!/n^n (H^n)_{kk}, with scaling by
        // powers of two kept in a separate exponent.
        var nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = (2 * k) - 1;
        var matrix = new double[m, m];
        var v = new double[m];
        var w = new double[m];
        var factorial = 1.0;
        for (var j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * factorial;
        }

        var tt = Math.Pow(Math.Max((2 * h) - 1.0, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tt) * factorial;
        for (var i = 1; i < m; i++)
        {
            for (var row = i - 1; row < m; row++)
            {
                matrix[row, i] = w[row - (i - 1)];
            }
        }

        for (var row = 0; row < m; row++)
        {
            matrix[row, 0] = v[row];
        }

        for (var column = 0; column < m; column++)
        {
            matrix[m - 1, column] = v[m - 1 - column];
        }

        var power = Identity(m);
        var nn = n;
        var exponent = 0;
        var matrixExponent = 0;
        while (nn > 0)
        {
            if (nn % 2 == 1)
            {
                power = Multiply(power, matrix);
                exponent += matrixExponent;
            }

            matrix = Multiply(matrix, matrix);
            matrixExponent *= 2;
            if (Math.Abs(matrix[k - 1, k - 1]) > ScaleUp)
            {
                Scale(matrix, ScaleDown);
                matrixExponent += ScaleExponent;
            }

            nn /= 2;
        }

        var p = power[k - 1, k - 1];
        for (long i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < ScaleDown)
            {
                p *= ScaleUp;
                exponent -= ScaleExponent;
            }
        }

        if (exponent != 0)
        {
            p = Math.ScaleB(p, exponent);
        }

        return Math.Clamp(p, 0, 1);
    }

    private static (long J1, long J2) PomeranzBounds(long i, long n, long ll, long ceilf, long roundf)
    {
        long j1, j2;
        if (i == 0)
        {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        }
        else
        {
            var half = (i + 1) / 2;
            if ((i + 1) % 2 == 0)
            {
                if (half == n + 1)
                {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                }
                else
                {
                    j1 = half - 1 - ll - roundf - 1;
                    j2 = half + ll - 1 + ceilf - 1;
                }
            }
            else
            {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundf - 1;
            }
        }

        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    private static double Pomeranz(long n, double x)
    {
        // Pomeranz's recursion (1974), as scipy implements it for small n.
        var t = n * x;
        var ll = (long)Math.Floor(t);
        var f = t - ll;
        var g = Math.Min(f, 1.0 - f);
        long ceilf = f > 0 ? 1 : 0;
        long roundf = f > 0.5 ? 1 : 0;
        var powers = (int)(2 * (ll + 1));
        var gPower = new double[powers];
        var twoGPower = new double[powers];
        var oneMinusTwoGPower = new double[powers];
        gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1.0;
        double gOverN = g / n, twoGOverN = 2 * g / n, oneMinusTwoGOverN = (1 - (2 * g)) / n;
        for (var m = 1; m < powers; m++)
        {
            gPower[m] = gPower[m - 1] * gOverN / m;
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / m;
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * oneMinusTwoGOverN / m;
        }

        var v0 = new double[powers];
        var v1 = new double[powers];
        v1[0] = 1;
        long v0Start = 0, v1Start = 0;
        var exponent = 0;
        var (j1, j2) = PomeranzBounds(0, n, ll, ceilf, roundf);
        for (long i = 1; i < (2 * n) + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0Start, v1Start) = (v1Start, v0Start);
            Array.Clear(v1);
            (j1, j2) = PomeranzBounds(i, n, ll, ceilf, roundf);
            var weights = i == 1 || i == (2 * n) + 1 ? gPower : (i % 2 == 1 ? twoGPower : oneMinusTwoGPower);
            var length = j2 - k1 + 1;
            if (length > 0)
            {
                var offset = k1 - v0Start;
                var start = j1 - k1;
                var count = j2 - j1 + 1;
                var maximum = 0.0;
                for (long c = 0; c < count; c++)
                {
                    // Entry (start + c) of the full convolution of v0[offset .. offset + length) with weights[0 .. length).
                    var index = start + c;
                    var sum = 0.0;
                    var low = Math.Max(0, index - (length - 1));
                    var high = Math.Min(index, length - 1);
                    for (var a = low; a <= high; a++)
                    {
                        sum += v0[offset + a] * weights[index - a];
                    }

                    v1[c] = sum;
                    maximum = Math.Max(maximum, sum);
                }

                if (maximum > 0 && maximum < ScaleDown)
                {
                    for (long c = 0; c < count; c++)
                    {
                        v1[c] *= ScaleUp;
                    }

                    exponent -= ScaleExponent;
                }

                v1Start = v0Start + j1 - k1;
            }
        }

        var answer = v1[n - v1Start];
        for (long m = 1; m <= n; m++)
        {
            if (Math.Abs(answer) > ScaleUp)
            {
                answer *= ScaleDown;
                exponent += ScaleExponent;
            }

            answer *= m;
        }

        if (exponent != 0)
        {
            answer = Math.ScaleB(answer, exponent);
        }

        return Math.Clamp(answer, 0, 1);
    }

    private static double PelzGood(long n, double x)
    {
        // The Li-Chien/Korolyuk expansion in 1/√n with Pelz and Good's theta-function forms (1976).
        if (x <= 0.0)
        {
            return 0.0;
        }

        if (x >= 1.0)
        {
            return 1.0;
        }

        var z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
        var qlog = -Math.PI * Math.PI / 8 / z2;
        if (qlog < MinimumLog)
        {
            return 0.0;
        }

        var q = Math.Exp(qlog);
        const double pi2 = Math.PI * Math.PI;
        const double pi4 = pi2 * pi2;
        const double pi6 = pi4 * pi2;
        var k1a = -z2;
        var k1b = pi2 / 4;
        var k2a = (6 * z6) + (2 * z4);
        var k2b = ((2 * z4) - (5 * z2)) * pi2 / 4;
        var k2c = pi4 * (1 - (2 * z2)) / 16;
        var k3d = pi6 * (5 - (30 * z2)) / 64;
        var k3c = pi4 * ((-60 * z2) + (212 * z4)) / 16;
        var k3b = pi2 * ((135 * z4) - (96 * z6)) / 4;
        var k3a = (-30 * z6) - (90 * Math.Pow(z, 8));
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var maxk = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxk; k > 0; k--)
        {
            double m = (2 * k) - 1;
            double m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
            var qPower = Math.Pow(q, 8 * k);
            s0 = (s0 * qPower) + 1.0;
            s1 = (s1 * qPower) + k1a + (k1b * m2);
            s2 = (s2 * qPower) + k2a + (k2b * m2) + (k2c * m4);
            s3 = (s3 * qPower) + k3a + (k3b * m2) + (k3c * m4) + (k3d * m6);
        }

        var sqrt2Pi = Math.Sqrt(2 * Math.PI);
        s0 = s0 * q * sqrt2Pi / z;
        s1 = s1 * q * sqrt2Pi / (6 * z4);
        s2 = s2 * q * sqrt2Pi / (72 * Math.Pow(z, 7));
        s3 = s3 * q * sqrt2Pi / (6480 * Math.Pow(z, 10));
        var q2 = Math.Exp(-pi2 / 2 / z2);
        var sqrt3z = Math.Sqrt(3) * z;
        double extra2 = 0, extra3 = 0;
        for (var k = maxk; k > 0; k--)
        {
            double k2 = (double)k * k;
            var qPower = Math.Pow(q2, k2);
            var kpi = Math.PI * k;
            extra2 += k2 * qPower;
            extra3 += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qPower;
        }

        s2 += extra2 * pi2 * sqrt2Pi / (-36 * z3);
        s3 += extra3 * pi2 * sqrt2Pi / (216 * z6);
        double rootN = Math.Sqrt(n);
        return s0 + (s1 / rootN) + (s2 / n) + (s3 / (n * rootN));
    }

    private static double[,] Identity(int size)
    {
        var identity = new double[size, size];
        for (var i = 0; i < size; i++)
        {
            identity[i, i] = 1;
        }

        return identity;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var size = a.GetLength(0);
        var product = new double[size, size];
        for (var i = 0; i < size; i++)
        {
            for (var k = 0; k < size; k++)
            {
                var left = a[i, k];
                if (left == 0)
                {
                    continue;
                }

                for (var j = 0; j < size; j++)
                {
                    product[i, j] += left * b[k, j];
                }
            }
        }

        return product;
    }

    private static void Scale(double[,] matrix, double factor)
    {
        var size = matrix.GetLength(0);
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                matrix[i, j] *= factor;
            }
        }
    }
}
