using Slipway.Cli.CommandLine;

namespace Slipway.Cli.Build;

/// <summary>
/// Writes the <c>rootfs/</c> of a FROM-scratch serving image: the dynamic loader and the shared libraries a
/// self-contained linux-x64 .NET app loads (glibc's libc, libdl, libpthread, libm, librt; libgcc_s; libstdc++ for ONNX
/// Runtime; OpenSSL's libssl and libcrypto, which .NET loads on demand for SHA-256 and https), copied from this
/// machine, plus <c>/etc/passwd</c>, <c>/etc/group</c> and a world-writable <c>/tmp</c>. Only x86_64 glibc systems.
/// </summary>
public static class RootFileSystem
{
    /// <summary>The libraries copied into <c>/lib/x86_64-linux-gnu</c>, by file name.</summary>
    public static readonly IReadOnlyList<string> Libraries =
    [
        "libc.so.6", "libdl.so.2", "libpthread.so.0", "libm.so.6", "librt.so.1", "libgcc_s.so.1", "libstdc++.so.6",
        "libssl.so.3", "libcrypto.so.3", "libz.so.1",
    ];

    /// <summary>The dynamic loader, at the path the apphost names.</summary>
    public const string Loader = "/lib64/ld-linux-x86-64.so.2";

    /// <summary>The CA certificate bundle copied into the image when present (Debian's path).</summary>
    public const string CaBundle = "/etc/ssl/certs/ca-certificates.crt";

    private static readonly string[] SearchDirectories = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64"];

    /// <summary>Writes the tree under <paramref name="root"/>; throws <see cref="CliException"/> naming a missing library.</summary>
    public static void Write(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            throw new CliException("slipway build needs an x86_64 Linux machine: the image gets this machine's C runtime libraries.");
        }

        var libraries = Path.Combine(root, "lib", "x86_64-linux-gnu");
        Directory.CreateDirectory(libraries);
        foreach (var name in Libraries)
        {
            var source = SearchDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
                ?? throw new CliException($"shared library {name} not found in {string.Join(", ", SearchDirectories)}; install it (Debian: libc6, libgcc-s1, libstdc++6, libssl3, zlib1g).");
            CopyResolved(source, Path.Combine(libraries, name));
        }

        if (!File.Exists(Loader))
        {
            throw new CliException($"the dynamic loader {Loader} is missing on this machine.");
        }

        Directory.CreateDirectory(Path.Combine(root, "lib64"));
        CopyResolved(Loader, Path.Combine(root, "lib64", Path.GetFileName(Loader)));

        var etc = Path.Combine(root, "etc");
        Directory.CreateDirectory(etc);
        // The CA bundle, when this machine has one: a generic image may pull from an https registry.
        if (File.Exists(CaBundle))
        {
            Directory.CreateDirectory(Path.Combine(etc, "ssl", "certs"));
            File.Copy(CaBundle, Path.Combine(etc, "ssl", "certs", "ca-certificates.crt"), overwrite: true);
        }

        File.WriteAllText(Path.Combine(etc, "passwd"), ImageDefinition.Passwd);
        File.WriteAllText(Path.Combine(etc, "group"), ImageDefinition.Group);
        var tmp = Path.Combine(root, "tmp");
        Directory.CreateDirectory(tmp);
        File.SetUnixFileMode(tmp, (UnixFileMode)0x3FF | UnixFileMode.StickyBit);
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static void CopyResolved(string source, string target)
    {
        // Symbolic links (libc.so.6 -> libc-2.36.so on older systems) are followed: the image gets the file itself.
        var resolved = File.ResolveLinkTarget(source, returnFinalTarget: true)?.FullName ?? source;
        File.Copy(resolved, target, overwrite: true);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
