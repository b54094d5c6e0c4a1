using Slipway.Cli.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Cli.Tests;

/// <summary>
/// The CLI scenario against a real <c>slipway server</c> on PostgreSQL metadata and S3 (s3rver) artifacts: where users
/// grow to, with nothing else changed.
/// </summary>
public sealed class PostgresS3ServerTests(PostgresServer postgres, S3rverServer s3) : IClassFixture<PostgresServer>, IClassFixture<S3rverServer>
{
    [Fact]
    public async Task Scenario_passes_against_a_server_on_postgresql_and_s3()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var store = await postgres.CreateDatabaseAsync();
        var artifacts = $"s3://{s3.Bucket}/cli-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync(
            work.Path, s3.EnvironmentVariables, "--store", store, "--artifacts", artifacts, "--registry", work.Combine("unused"));
        await RegistryScenario.RunAsync(server.Url, work);

        // Nothing was kept locally: metadata went to PostgreSQL and bytes to the bucket.
        Assert.False(File.Exists(work.Combine("unused", "slipway.db")));
        Assert.False(Directory.Exists(work.Combine("unused", "artifacts")) && Directory.EnumerateFiles(work.Combine("unused", "artifacts"), "*", SearchOption.AllDirectories).Any());
        Assert.NotEmpty(Directory.EnumerateFiles(s3.DataDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Tracking_scenario_passes_against_a_server_on_postgresql_and_s3()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var store = await postgres.CreateDatabaseAsync();
        var artifacts = $"s3://{s3.Bucket}/cli-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync(work.Path, s3.EnvironmentVariables, "--store", store, "--artifacts", artifacts);
        await TrackingScenario.RunAsync(server.Url, work);
    }

    [Fact]
    public async Task Restarted_server_on_the_same_database_and_bucket_serves_the_same_bytes()
    {
        using var work = SlipwayExecutable.NewWorkingDirectory();
        var store = await postgres.CreateDatabaseAsync();
        var artifacts = $"s3://{s3.Bucket}/cli-{Guid.NewGuid():N}";
        var name = "iris-" + Guid.NewGuid().ToString("N")[..10];
        string digest;
        await using (var server = await ServerProcess.StartAsync(work.Path, s3.EnvironmentVariables, "--store", store, "--artifacts", artifacts))
        {
            digest = (await SlipwayExecutable.RunAsync(work.Path, "--registry", server.Url, "--output", "json", "models", "register", name, RegistryScenario.IrisModel, "--columns", "a,b,c,d"))
                .ShouldSucceed().Json().GetProperty("content_digest").GetString()!;
        }

        await using var again = await ServerProcess.StartAsync(work.Path, s3.EnvironmentVariables, "--store", store, "--artifacts", artifacts);
        var target = work.Combine("out");
        (await SlipwayExecutable.RunAsync(work.Path, "--registry", again.Url, "models", "download", $"models:/{name}/1", "--out", target)).ShouldSucceed();
        Assert.Equal(digest, Hashes.ContentDigest(target));
    }
}
