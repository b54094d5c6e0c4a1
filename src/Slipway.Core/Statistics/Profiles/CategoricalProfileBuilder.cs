using System.Runtime.InteropServices;

namespace Slipway.Core.Statistics.Profiles;

/// <summary>
/// Accumulates one categorical feature's profile: the frequency of each category up to a cap of distinct values; values
/// of categories first seen after the cap is reached are counted together as other. Null is missing. Mutable and not
/// thread-safe: one owner adds values.
/// </summary>
public sealed class CategoricalProfileBuilder
{
    /// <summary>The default cap on distinct categories kept: 1,000.</summary>
    public const int DefaultCap = 1000;

    /// <summary>The category a true boolean counts as.</summary>
    public const string True = "true";

    /// <summary>The category a false boolean counts as.</summary>
    public const string False = "false";

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _other;
    private long _missing;

    /// <summary>An empty builder.</summary>
    /// <param name="cap">The most distinct categories kept (1,000 by default); later new categories count as other.</param>
    public CategoricalProfileBuilder(int cap = DefaultCap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cap);
        Cap = cap;
    }

    /// <summary>The most distinct categories kept.</summary>
    public int Cap { get; }

    /// <summary>Non-missing values added.</summary>
    public long Count
    {
        get
        {
            var total = _other;
            foreach (var count in _counts.Values)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>Missing values (null) added.</summary>
    public long Missing => _missing;

    /// <summary>Adds one value; null counts as missing.</summary>
    public void Add(string? value) => Add(value, 1);

    /// <summary>Adds <paramref name="count"/> occurrences of one value; null counts as missing.</summary>
    public void Add(string? value, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (value is null)
        {
            _missing += count;
            return;
        }

        ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, value);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
        {
            slot += count;
        }
        else if (_counts.Count < Cap)
        {
            _counts.Add(value, count);
        }
        else
        {
            _other += count;
        }
    }

    /// <summary>Adds values; null counts as missing.</summary>
    public void Add(ReadOnlySpan<string?> values)
    {
        foreach (var value in values)
        {
            Add(value, 1);
        }
    }

    /// <summary>Adds booleans as the categories <see cref="True"/> and <see cref="False"/>.</summary>
    public void Add(ReadOnlySpan<bool> values)
    {
        long trues = 0;
        foreach (var value in values)
        {
            trues += value ? 1 : 0;
        }

        if (trues > 0)
        {
            Add(True, trues);
        }

        if (values.Length - trues > 0)
        {
            Add(False, values.Length - trues);
        }
    }

    /// <summary>Adds everything <paramref name="other"/> holds (its categories beyond this cap count as other).</summary>
    public void Merge(CategoricalProfileBuilder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Merge(other.ToProfile());
    }

    /// <summary>Adds everything a stored <paramref name="profile"/> holds (its categories beyond this cap count as other).</summary>
    public void Merge(CategoricalProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        for (var i = 0; i < profile.Categories.Count; i++)
        {
            Add(profile.Categories[i], profile.Counts[i]);
        }

        _other += profile.Other;
        _missing += profile.Missing;
    }

    /// <summary>Forgets every value.</summary>
    public void Clear()
    {
        _counts.Clear();
        _other = 0;
        _missing = 0;
    }

    /// <summary>The profile of the values added so far: categories most frequent first, ties in ordinal order.</summary>
    public CategoricalProfile ToProfile()
    {
        var ordered = MostFrequentFirst(_counts);
        var categories = new string[ordered.Length];
        var counts = new long[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            categories[i] = ordered[i].Key;
            counts[i] = ordered[i].Value;
        }

        return new CategoricalProfile(categories, counts, _other, _missing);
    }

    /// <summary>Categories by count, highest first, ties in ordinal order: a stable order for reports and files.</summary>
    internal static KeyValuePair<string, long>[] MostFrequentFirst(Dictionary<string, long> counts)
    {
        var ordered = new KeyValuePair<string, long>[counts.Count];
        var at = 0;
        foreach (var pair in counts)
        {
            ordered[at++] = pair;
        }

        Array.Sort(ordered, static (x, y) =>
        {
            var byCount = y.Value.CompareTo(x.Value);
            return byCount != 0 ? byCount : string.CompareOrdinal(x.Key, y.Key);
        });
        return ordered;
    }
}
