namespace Slipway.Deploy.Canary;

/// <summary>The counts of one running split (one promotion id) on this serving node, per variant.</summary>
internal sealed class SplitWindow(long promotionId)
{
    private int concluded;

    public long PromotionId { get; } = promotionId;

    public VariantCounters Stable { get; } = new();

    public VariantCounters Canary { get; } = new();

    public ShadowCounters Shadow { get; } = new();

    /// <summary>Whether a decision on this split was made (here or, as the store said, elsewhere).</summary>
    public bool Concluded => Volatile.Read(ref concluded) != 0;

    /// <summary>Marks the split decided; false when it already was.</summary>
    public bool TryConclude() => Interlocked.Exchange(ref concluded, 1) == 0;

    /// <summary>Lets a decision that did not reach the store be tried again.</summary>
    public void Reopen() => Volatile.Write(ref concluded, 0);
}
