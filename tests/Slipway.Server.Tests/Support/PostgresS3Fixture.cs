using Slipway.Testing;

namespace Slipway.Server.Tests.Support;

/// <summary>
/// One real PostgreSQL and one real s3rver for every test that needs them. The server reads S3 settings from the
/// process environment, so exactly one s3rver exists and the tests using it share a collection (run one at a time).
/// </summary>
public sealed class PostgresS3Fixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; } = new();

    public S3rverServer S3 { get; } = new();

    public string ArtifactsUri(string prefix) => $"s3://{S3.Bucket}/{prefix}";

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Postgres.InitializeAsync(), S3.InitializeAsync());
        foreach (var (key, value) in S3.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(key, value);
        }
    }

    public async Task DisposeAsync()
    {
        await S3.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresS3Group : ICollectionFixture<PostgresS3Fixture>
{
    public const string Name = "PostgreSQL and s3rver";
}
