using System.Globalization;
using System.Text;
using Slipway.Core.Deployment;

namespace Slipway.Serving.Hosting;

/// <summary>
/// The traffic split a served alias follows now: its <see cref="DeploymentState"/> and the canary and shadow versions
/// that loaded (a version that failed to load is not routed to). Immutable; a served model swaps the whole split when
/// the state changes. It holds a reference on each loaded version, released when the split is replaced.
/// </summary>
public sealed class TrafficSplit
{
    /// <summary>Weights and shares are applied in steps of 1/<see cref="Scale"/> (0.01 %).</summary>
    public const int Scale = 10_000;

    private readonly int canaryThreshold;
    private readonly int shadowThreshold;

    internal TrafficSplit(DeploymentState state, LoadedVersion? canary, LoadedVersion? shadow)
    {
        State = state;
        Canary = canary;
        Shadow = shadow;
        canaryThreshold = canary is null ? 0 : Threshold(state.CanaryWeight);
        shadowThreshold = shadow is null ? 0 : Threshold(state.ShadowShare);
        StickyKey = string.IsNullOrEmpty(state.StickyKey) ? null : state.StickyKey;
    }

    /// <summary>The split as the deployment store has it.</summary>
    public DeploymentState State { get; }

    /// <summary>The promotion that started the split: the split's identity.</summary>
    public long PromotionId => State.PromotionId;

    /// <summary>The request header whose value picks the variant, or null for a random split.</summary>
    public string? StickyKey { get; }

    /// <summary>Whether the canary version loaded and takes a share of requests.</summary>
    public bool CanaryLive => canaryThreshold > 0;

    /// <summary>Whether the shadow version loaded and receives mirrored requests.</summary>
    public bool ShadowLive => shadowThreshold > 0;

    /// <summary>The loaded canary version's number, or null.</summary>
    public string? CanaryVersion => Canary?.Contract.Version;

    /// <summary>The loaded canary version's contract, or null.</summary>
    public ModelContract? CanaryContract => Canary?.Contract;

    /// <summary>The loaded shadow version's number, or null.</summary>
    public string? ShadowVersion => Shadow?.Contract.Version;

    internal LoadedVersion? Canary { get; }

    internal LoadedVersion? Shadow { get; }

    /// <summary>
    /// Whether a request goes to the canary: by <paramref name="stickyValue"/>'s hash when the split is sticky and the
    /// request carries the key (the same value always gets the same answer), else by a random draw.
    /// </summary>
    /// <param name="stickyValue">The value of the request's <see cref="StickyKey"/> header, or null when absent.</param>
    public bool ChooseCanary(string? stickyValue)
    {
        if (canaryThreshold <= 0)
        {
            return false;
        }

        if (canaryThreshold >= Scale)
        {
            return true;
        }

        var draw = StickyKey is not null && !string.IsNullOrEmpty(stickyValue)
            ? (int)(StickyHash(stickyValue) % Scale)
            : Random.Shared.Next(Scale);
        return draw < canaryThreshold;
    }

    /// <summary>Whether an answered request is also mirrored to the shadow (a random draw against the share).</summary>
    public bool DrawShadow() => shadowThreshold > 0 && (shadowThreshold >= Scale || Random.Shared.Next(Scale) < shadowThreshold);

    /// <summary>
    /// The 32-bit FNV-1a hash of <paramref name="value"/>'s UTF-8 bytes: stable across processes and releases, so every
    /// replica sends a sticky key to the same variant.
    /// </summary>
    public static uint StickyHash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < length; i++)
            {
                hash = unchecked((hash ^ utf8[i]) * prime);
            }
        }

        return hash;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"canary {CanaryVersion ?? "-"} at {State.CanaryWeight:P1}, shadow {ShadowVersion ?? "-"} at {State.ShadowShare:P1} (promotion {PromotionId})");

    /// <summary>Releases the split's references on its versions.</summary>
    internal void Release()
    {
        Canary?.Release();
        Shadow?.Release();
    }

    private static int Threshold(double share) =>
        double.IsNaN(share) ? 0 : (int)Math.Round(Math.Clamp(share, 0, 1) * Scale, MidpointRounding.AwayFromZero);
}
