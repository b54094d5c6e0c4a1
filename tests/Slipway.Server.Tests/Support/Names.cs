namespace Slipway.Server.Tests.Support;

/// <summary>Unique names so tests never see each other's data.</summary>
public static class Names
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
