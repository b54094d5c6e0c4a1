using System.Net;
using System.Text.Json;

namespace Slipway.Server.Tests.Support;

/// <summary>Reads and checks MLflow-shaped answers.</summary>
public static class JsonAssert
{
    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts the status and MLflow error body; returns the message.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Equal(code, document.RootElement.GetProperty("error_code").GetString());
        var message = document.RootElement.GetProperty("message").GetString();
        Assert.False(string.IsNullOrEmpty(message));
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        return message!;
    }
}
