using System.Security.Cryptography;
using Slipway.Serving;

namespace Slipway.Server.Serving;

/// <summary>
/// Request ids of scoring requests: the caller's <c>X-Request-Id</c> when it sends one, else the V2 request's
/// <c>id</c>, else a compact id unique across processes (a random per-process prefix and a counter). Every scoring
/// answer carries its id in <c>X-Request-Id</c>; the inference log and <c>POST /api/slipway/feedback</c> join on it.
/// </summary>
internal static class RequestIds
{
    /// <summary>The header that carries the id both ways.</summary>
    public const string Header = "X-Request-Id";

    /// <summary>Longest id accepted, in characters.</summary>
    public const int MaxLength = 128;

    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";

    // 50 random bits per process: ids from two servers (or two runs of one) do not collide in practice.
    private static readonly string Prefix = CreatePrefix();
    private static long counter;

    /// <summary>Whether <paramref name="id"/> may be a request id: 1 to 128 printable ASCII characters.</summary>
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The caller's <c>X-Request-Id</c>, or null when it sent none.
    /// </summary>
    /// <exception cref="ScoringException">400 naming the header when it is empty, repeated, too long or not printable ASCII.</exception>
    public static string? FromHeader(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return null;
        }

        if (values.Count != 1 || !IsValid(values[0]))
        {
            throw ScoringException.BadRequest($"header {Header} must be one value of 1 to {MaxLength} printable ASCII characters.");
        }

        return values[0];
    }

    /// <summary>A new id: the process prefix, a dash and a base-32 counter, e.g. <c>k2d8f0q1mz-1f</c>.</summary>
    public static string Next()
    {
        var value = (ulong)Interlocked.Increment(ref counter);
        Span<char> digits = stackalloc char[13];
        var at = digits.Length;
        do
        {
            digits[--at] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        while (value != 0);

        return string.Concat(Prefix, digits[at..]);
    }

    private static string CreatePrefix()
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        var bits = BitConverter.ToUInt64(random);
        Span<char> text = stackalloc char[11];
        for (var i = 0; i < 10; i++)
        {
            text[i] = Alphabet[(int)(bits & 31)];
            bits >>= 5;
        }

        text[10] = '-';
        return new string(text);
    }
}
