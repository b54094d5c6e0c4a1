using Slipway.Core.Registry;
using Slipway.Core.Search;

namespace Slipway.Core.Tests.Search;

public sealed class PageTokenTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(3L)]
    [InlineData(1_000_000_000_000L)]
    public void EncodeDecode_RoundTrips(long offset) => Assert.Equal(offset, PageToken.Decode(PageToken.Encode(offset)));

    [Fact]
    public void Decode_NullOrEmpty_IsFirstPage()
    {
        Assert.Equal(0, PageToken.Decode(null));
        Assert.Equal(0, PageToken.Decode(""));
    }

    [Fact]
    public void Encode_IsUrlSafe()
    {
        var token = PageToken.Encode(123456789);

        Assert.DoesNotContain(token, c => c is '+' or '/' or '=');
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("e30")] // {}
    [InlineData("eyJvZmZzZXQiOi0xfQ")] // {"offset":-1}
    [InlineData("eyJvZmZzZXQiOiIzIn0")] // {"offset":"3"}
    [InlineData("WzFd")] // [1]
    public void Decode_Garbage_ThrowsInvalid(string token)
    {
        var e = Assert.Throws<RegistryException>(() => PageToken.Decode(token));

        Assert.Equal(RegistryErrorCode.InvalidParameterValue, e.Code);
        Assert.StartsWith("Invalid page_token", e.Message, StringComparison.Ordinal);
    }
}
