using System.Globalization;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Writes floating values as Python's <c>json.dumps</c> writes them (<c>repr</c>): shortest round-trip digits, a
/// <c>.0</c> on whole numbers, scientific notation below 1e-4 and from 1e16 (<c>1e-05</c>, <c>1e+16</c>), and
/// <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>. Float32 values use the shortest digits that round-trip the float32,
/// so 0.1f prints as <c>0.1</c> rather than its widened double.
/// </summary>
internal static class PythonFloat
{
    /// <summary>Formats <paramref name="value"/> into <paramref name="destination"/> (at least 32 bytes); returns the length.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            return Special(value, destination);
        }

        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        return Layout(text[..length], destination);
    }

    /// <summary>Formats a float32 with its own shortest digits.</summary>
    public static int Format(float value, Span<byte> destination)
    {
        if (!float.IsFinite(value))
        {
            return Special(value, destination);
        }

        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        return Layout(text[..length], destination);
    }

    private static int Special(double value, Span<byte> destination)
    {
        ReadOnlySpan<byte> text = double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8;
        text.CopyTo(destination);
        return text.Length;
    }

    /// <summary>Re-lays .NET's shortest text (<c>1.5E-05</c>, <c>123.25</c>) out the way Python's repr does.</summary>
    private static int Layout(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var written = 0;
        if (text[0] == '-')
        {
            destination[written++] = (byte)'-';
            text = text[1..];
        }

        // Collect the significant digits and where the decimal point sits (value = 0.DIGITS × 10^point).
        Span<byte> digits = stackalloc byte[24];
        var count = 0;
        var point = 0;
        var seenPoint = false;
        var exponent = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                seenPoint = true;
            }
            else if (c is 'E' or 'e')
            {
                exponent = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                if (count == 0 && c == '0')
                {
                    // Leading zero: before the point it adds nothing, after it moves the point left.
                    if (seenPoint)
                    {
                        point--;
                    }

                    continue;
                }

                digits[count++] = (byte)c;
                if (!seenPoint)
                {
                    point++;
                }
            }
        }

        while (count > 0 && digits[count - 1] == (byte)'0')
        {
            count--;
        }

        if (count == 0)
        {
            "0.0"u8.CopyTo(destination[written..]);
            return written + 3;
        }

        point += exponent;
        if (point > -4 && point <= 16)
        {
            if (point <= 0)
            {
                destination[written++] = (byte)'0';
                destination[written++] = (byte)'.';
                for (var i = point; i < 0; i++)
                {
                    destination[written++] = (byte)'0';
                }

                digits[..count].CopyTo(destination[written..]);
                return written + count;
            }

            for (var i = 0; i < point; i++)
            {
                destination[written++] = i < count ? digits[i] : (byte)'0';
            }

            destination[written++] = (byte)'.';
            if (count <= point)
            {
                destination[written++] = (byte)'0';
                return written;
            }

            digits[point..count].CopyTo(destination[written..]);
            return written + count - point;
        }

        destination[written++] = digits[0];
        if (count > 1)
        {
            destination[written++] = (byte)'.';
            digits[1..count].CopyTo(destination[written..]);
            written += count - 1;
        }

        var e = point - 1;
        destination[written++] = (byte)'e';
        destination[written++] = e < 0 ? (byte)'-' : (byte)'+';
        e = Math.Abs(e);
        if (e < 10)
        {
            destination[written++] = (byte)'0';
        }

        e.TryFormat(destination[written..], out var n, default, CultureInfo.InvariantCulture);
        return written + n;
    }
}
