using Slipway.Testing;

namespace Slipway.Cli.Tests.Infrastructure;

/// <summary>Owns one temporary working directory for a test class instance (xunit makes one instance per test).</summary>
public sealed class TempDirectoryHolder : IDisposable
{
    /// <summary>The directory.</summary>
    public TempDirectory Directory { get; } = SlipwayExecutable.NewWorkingDirectory();

    /// <inheritdoc />
    public void Dispose() => Directory.Dispose();
}
