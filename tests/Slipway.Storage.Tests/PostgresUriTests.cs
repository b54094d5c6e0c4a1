using Npgsql;
using Slipway.Core.Registry;

namespace Slipway.Storage.Tests;

public sealed class PostgresUriTests
{
    [Fact]
    public void ToConnectionString_MapsAllParts()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            PostgresUri.ToConnectionString("postgresql://us%40er:p%3Ass@db.example:6543/reg%20istry?sslmode=require&application_name=slipway"));

        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("reg istry", builder.Database);
        Assert.Equal("us@er", builder.Username);
        Assert.Equal("p:ss", builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("slipway", builder.ApplicationName);
    }

    [Fact]
    public void ToConnectionString_PostgresScheme_DefaultsPort()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresUri.ToConnectionString("postgres://u@localhost/db"));

        Assert.Equal(5432, builder.Port);
        Assert.Equal("u", builder.Username);
        Assert.Null(builder.Password);
    }

    [Theory]
    [InlineData("postgresql://u:secret@host/db?bogus_option=1")]
    [InlineData("postgresql://")]
    [InlineData("mysql://u:secret@host/db")]
    public void ToConnectionString_Bad_ThrowsInvalidWithoutPassword(string uri)
    {
        var e = Assert.Throws<RegistryException>(() => PostgresUri.ToConnectionString(uri));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("--store", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_HidesPassword() =>
        Assert.Equal("postgresql://u:***@h:1/db", PostgresUri.Redact("postgresql://u:pw@h:1/db"));
}
