namespace Slipway.Mlflow.Contracts;

/// <summary>Slipway's <c>{"history": [...]}</c>, oldest first; an empty list when nothing happened yet.</summary>
public sealed class AliasHistoryResponse
{
    /// <summary>The entries.</summary>
    public IReadOnlyList<AliasHistoryEntryMessage>? History { get; set; }
}
