using System.Net;
using System.Text;
using System.Text.Json;
using Slipway.Server.Tests.Serving;

namespace Slipway.Server.Tests.Monitoring;

/// <summary><c>POST /api/slipway/feedback</c> joins ground truth with real scored requests of the iris classifier.</summary>
public sealed class FeedbackEndpointTests : IAsyncLifetime
{
    private ServingNode node = null!;

    public async Task InitializeAsync() => node = await MonitoredNode.StartAsync();

    public async Task DisposeAsync() => await node.DisposeAsync();

    private async Task<HttpResponseMessage> FeedbackAsync(string body) =>
        await node.Http.PostAsync("/api/slipway/feedback", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task ScoreAsync(string body, string requestId)
    {
        using var response = await node.ScoreAsync(body, requestId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The join needs the prediction to have left the monitor's queue.
        await node.Monitoring().Monitor!.FlushAsync();
    }

    [Fact]
    public async Task Actuals_join_the_scored_request_and_count_in_live_quality()
    {
        await ScoreAsync(MonitoredNode.TwoRows, "fb-two");

        // Predicted 0 and 2: the first actual matches, the second does not.
        using var response = await FeedbackAsync("""{"request_id": "fb-two", "actuals": [0, 1]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        Assert.Equal("iris", body.GetProperty("model").GetString());
        Assert.Equal("1", body.GetProperty("version").GetString());
        Assert.Equal("classification", body.GetProperty("task").GetString());
        Assert.Equal(2, body.GetProperty("rows").GetInt32());
        Assert.Equal(1, body.GetProperty("correct").GetInt32());

        var scrape = await node.ScrapeAsync();
        Assert.Equal(2, scrape.Sum("slipway_feedback_total", """model="iris",version="1" """.Trim()));
        Assert.Equal(1, scrape.Sum("slipway_feedback_correct_total", """model="iris",version="1" """.Trim()));
    }

    [Fact]
    public async Task One_actual_joins_a_one_row_request_and_a_second_submission_conflicts()
    {
        await ScoreAsync(MonitoredNode.OneRow, "fb-one");

        using var first = await FeedbackAsync("""{"request_id": "fb-one", "actual": 0}""");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, (await JsonAsync(first)).GetProperty("correct").GetInt32());

        using var again = await FeedbackAsync("""{"request_id": "fb-one", "actual": 0}""");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("request_id", (await JsonAsync(again)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_submits_each_item_and_reports_each()
    {
        await ScoreAsync(MonitoredNode.OneRow, "bulk-1");
        await ScoreAsync(MonitoredNode.OneRow, "bulk-2");

        using var response = await FeedbackAsync("""[{"request_id": "bulk-1", "actual": 0}, {"request_id": "bulk-2", "actuals": [2]}, {"request_id": "bulk-none", "actual": 1}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await JsonAsync(response)).GetProperty("results");
        Assert.Equal(["accepted", "accepted", "unknown_request_id"], results.EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(1, results[0].GetProperty("correct").GetInt32());
        Assert.Equal(0, results[1].GetProperty("correct").GetInt32());
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", results[2].GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task An_unknown_request_id_is_404_naming_request_id()
    {
        using var response = await FeedbackAsync("""{"request_id": "never-scored", "actual": 1}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", body.GetProperty("error_code").GetString());
        Assert.Contains("request_id", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("never-scored", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"actual": 1}""", "request_id")]
    [InlineData("""{"request_id": 7, "actual": 1}""", "request_id")]
    [InlineData("""{"request_id": "x"}""", "actual")]
    [InlineData("""{"request_id": "x", "actual": 1, "actuals": [1]}""", "actual")]
    [InlineData("""{"request_id": "x", "actual": {"v": 1}}""", "actual")]
    [InlineData("""{"request_id": "x", "actuals": 1}""", "actuals")]
    [InlineData("""{"request_id": "x", "actuals": [1, [2]]}""", "actuals[1]")]
    [InlineData("""[{"request_id": "x", "actual": 1}, {"actual": 2}]""", "[1].request_id")]
    [InlineData("""42""", "body")]
    public async Task A_malformed_body_is_400_naming_the_field(string body, string field)
    {
        using var response = await FeedbackAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonAsync(response);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.GetProperty("error_code").GetString());
        Assert.Contains(field, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actuals_of_the_wrong_length_are_400_naming_actuals()
    {
        await ScoreAsync(MonitoredNode.TwoRows, "fb-length");

        using var response = await FeedbackAsync("""{"request_id": "fb-length", "actuals": [0, 1, 2]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("actuals", (await JsonAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_is_400()
    {
        using var response = await FeedbackAsync("{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", (await JsonAsync(response)).GetProperty("error_code").GetString());
    }
}
