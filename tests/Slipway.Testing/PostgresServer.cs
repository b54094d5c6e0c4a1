using System.Globalization;
using Xunit;

namespace Slipway.Testing;

/// <summary>
/// A real PostgreSQL server for a test class or collection: <c>initdb</c> into a temporary directory owned by the
/// <c>postgres</c> user (when running as root), scram-sha-256 password authentication, listening on 127.0.0.1 on
/// a free port with its socket inside the data directory. Fails with instructions when PostgreSQL is not installed.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Password = "slipway-test";
    private readonly TempDirectory _directory = new("slipway-pg");
    private int _databases;

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The superuser name.</summary>
    public static string User => "postgres";

    private string DataDirectory => _directory.Combine("data");

    private string BinDirectory { get; set; } = string.Empty;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        BinDirectory = FindBinDirectory();
        var passwordFile = _directory.Combine("pwfile");
        await File.WriteAllTextAsync(passwordFile, Password);
        Directory.CreateDirectory(DataDirectory);
        if (IsRoot)
        {
            await ProcessRunner.RunAsync("chown", ["-R", "postgres:postgres", _directory.Path]);
        }

        await RunAsPostgresAsync(Path.Combine(BinDirectory, "initdb"), ["-D", DataDirectory, "-U", User, "--auth=scram-sha-256", "--pwfile=" + passwordFile, "--no-sync", "-E", "UTF8"]);
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort.Next();
            try
            {
                await RunAsPostgresAsync(
                    Path.Combine(BinDirectory, "pg_ctl"),
                    ["-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(DataDirectory, "server.log"), "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {DataDirectory} -c fsync=off -c max_connections=200", "start"]);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The free port was taken between choosing and binding it; choose again.
            }
        }
    }

    /// <summary>Creates a fresh database and returns its <c>postgresql://</c> URI.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        await ProcessRunner.RunAsync(
            Path.Combine(BinDirectory, "createdb"),
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, name],
            new Dictionary<string, string> { ["PGPASSWORD"] = Password });
        return $"postgresql://{User}:{Password}@127.0.0.1:{Port}/{name}";
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        try
        {
            if (Port != 0)
            {
                await RunAsPostgresAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
            }
        }
        finally
        {
            _directory.Dispose();
        }
    }

    private static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal).ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidOperationException(
                "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: run ./scripts/test.sh, which installs PostgreSQL and s3rver.");
    }

    private static bool IsRoot => Environment.UserName == "root";

    // PostgreSQL refuses to run as root; tests usually do, so its tools run as the postgres user then.
    private static Task<string> RunAsPostgresAsync(string program, IEnumerable<string> arguments) =>
        IsRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments])
            : ProcessRunner.RunAsync(program, arguments);
}
