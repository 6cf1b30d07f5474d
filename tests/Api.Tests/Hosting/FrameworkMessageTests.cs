using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;

namespace LeadML.Api.Tests.Hosting;

/// <summary>What the framework would word in its own terms (a missing body, a .NET type it could not fill) is answered
/// as a 400 problem in plain words at the JSON path, naming no .NET type.</summary>
[Collection(BundleCollection.Name)]
public sealed class FrameworkMessageTests(TrainedBundle bundle) : IDisposable
{
    private readonly SqliteApi _api = new(bundle.CopyTo(), DateTimeOffset.UtcNow);

    public void Dispose() => _api.Dispose();

    private Task<HttpResponseMessage> Send(string method, string url, string? body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        return _api.Client.SendAsync(request);
    }

    /// <summary>The problem answered, after checking its status, its content type and that it names no .NET type nor
    /// repeats the framework's words.</summary>
    private static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var leak in (string[])["System.", "`1", "LeadML.", "Nullable", "DateTimeOffset", "bool ", "Implicit body", "Failed to bind"])
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }
        return JsonNode.Parse(text)!;
    }

    /// <summary>The one error of a 400 problem answered to <paramref name="body"/>.</summary>
    private async Task<(string Path, string Message)> Refused(string method, string url, string? body)
    {
        var problem = await Problem(await Send(method, url, body), HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsObject());
        return (error.Key, (string)error.Value![0]!);
    }

    [Theory]
    [InlineData("PUT", "/leads/x", "")]
    [InlineData("PUT", "/leads/x", "null")]
    [InlineData("POST", "/leads/x/events", "")]
    [InlineData("POST", "/leads/x/events", " null ")]
    [InlineData("POST", "/events", "")]
    [InlineData("POST", "/events", "null")]
    [InlineData("POST", "/score", "")]
    [InlineData("POST", "/score/batch", "  ")]
    public async Task EmptyOrNullBody_IsRefusedAsNoBody(string method, string url, string body)
    {
        var (path, message) = await Refused(method, url, body);
        Assert.Equal("$", path);
        Assert.Contains("the body is empty or null; send a JSON object", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Client.GetAsync("/leads/x")).StatusCode);
    }

    [Theory]
    [InlineData("PUT", "/leads/x", "[]", "$", "must be a JSON object")]
    [InlineData("POST", "/leads/x/events", "[{\"eventId\":\"e1\"}]", "$", "must be a JSON object")]
    [InlineData("POST", "/leads/x/events", "{\"events\":{}}", "$.events", "must be a JSON array")]
    [InlineData("POST", "/events", "{\"events\":{\"eventId\":\"e1\"}}", "$.events", "must be a JSON array")]
    [InlineData("POST", "/events", "{\"events\":[{\"leadId\":\"x\",\"eventId\":5}]}", "$.events[0].eventId", "must be a string")]
    [InlineData("POST", "/events", "{\"events\":[[]]}", "$.events[0]", "must be a JSON object")]
    [InlineData("PUT", "/leads/x", "{\"model\":{}}", "$.model", "must be a string")]
    public async Task WrongJsonType_IsRefusedAtItsPathSayingWhatGoesThere(string method, string url, string body, string expectedPath, string expected)
    {
        var (path, message) = await Refused(method, url, body);
        Assert.Equal(expectedPath, path);
        Assert.Equal(expected, message);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Client.GetAsync("/leads/x")).StatusCode);
    }

    [Fact]
    public async Task AttributesAsAnArray_IsRefusedAtItsPath()
    {
        var (path, message) = await Refused("PUT", "/leads/x", "{\"attributes\":[]}");
        Assert.Equal("$.attributes", path);
        Assert.Equal("must be a JSON object of name: value", message);
    }

    [Theory]
    [InlineData("POST", "/score?explain=maybe", "{}", "explain", "'maybe'", "true or false")]
    [InlineData("POST", "/score/batch?features=yes", "{\"leads\":[]}", "features", "'yes'", "true or false")]
    [InlineData("GET", "/leads/x?explain=maybe", null, "explain", "'maybe'", "true or false")]
    [InlineData("GET", "/alerts?since=garbage", null, "since", "'garbage'", "an ISO 8601 date and time with a time zone")]
    [InlineData("GET", "/alerts?limit=lots", null, "limit", "'lots'", "a whole number")]
    public async Task UnparsableQueryValue_IsRefusedNamingTheParameter(string method, string url, string? body, string name, string value, string takes)
    {
        var (path, message) = await Refused(method, url, body);

        Assert.Equal(name, path);
        Assert.Contains($"query parameter '{name}' is {value}", message, StringComparison.Ordinal);
        Assert.Contains(takes, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/alerts?since=2026-12-01T10:00:00", "since", "'2026-12-01T10:00:00' has no time zone; add Z for UTC or an offset")]
    [InlineData("/alerts?since=2026-12-01", "since", "'2026-12-01' is a date without a time; send a date and time with a time zone, e.g. 2026-12-01T00:00:00Z")]
    [InlineData("/alerts?since=1899-12-31T23:00:00Z", "since", "'1899-12-31T23:00:00Z' is before 1900")]
    [InlineData("/alerts?kind=gone-cold&since=2026-12-01T10:00:00%2B01:00&since=2026-12-01", "since", "'2026-12-01' is a date without a time")]
    [InlineData("/outcomes?cutoff=2026-12-01T10:00:00", "cutoff", "'2026-12-01T10:00:00' has no time zone")]
    [InlineData("/outcomes?cutoff=2026-12-01", "cutoff", "'2026-12-01' is a date without a time")]
    [InlineData("/outcomes?cutoff=0001-01-01T00:00:00Z", "cutoff", "'0001-01-01T00:00:00Z' is before 1900")]
    public async Task QueryDate_ReadByTheRuleOfBodyDates_IsRefusedNamingTheParameter(string url, string name, string expected)
    {
        var (path, message) = await Refused("GET", url, null);

        Assert.Equal(name, path);
        Assert.StartsWith($"query parameter '{name}': ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/alerts?since=2026-12-01T10:00:00Z")]
    [InlineData("/alerts?since=2026-12-01T10:00:00%2B01:00")]
    [InlineData("/outcomes?cutoff=2026-01-01T00:00:00Z")]
    public async Task QueryDate_WithTimeAndZone_IsRead(string url)
    {
        var response = await _api.Client.GetAsync(url);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("PUT", "/leads/x", "{\"attributes\":{\"industry\":\"Sa", "\"}}")]
    [InlineData("POST", "/leads/x/events", "{\"events\":[{\"eventId\":\"", "\",\"type\":\"visit\",\"timestamp\":\"2025-11-20T10:00:00Z\"}]}")]
    [InlineData("POST", "/events", "{\"events\":[{\"leadId\":\"x\",\"eventId\":\"e", "1\"}]}")]
    [InlineData("POST", "/leads/x/conversion", "{\"value\":1,\"source\":\"", "crm\"}")]
    [InlineData("POST", "/rulesets/sample/drafts", "{\"createdBy\":\"", "\"}")]
    [InlineData("POST", "/score", "{\"attributes\":{\"industry\":\"", "\"}}")]
    [InlineData("POST", "/score/batch", "{\"leads\":[{\"leadId\":\"", "\"}]}")]
    [InlineData("POST", "/score", "", "{}")]
    public async Task BodyThatIsNotUtf8_IsRefusedSayingSoWithTheByteOffset(string method, string url, string before, string after)
    {
        // Latin-1 'é' (0xE9) followed by a character that cannot continue it: the body a CRM sends in its own encoding.
        var prefix = Encoding.UTF8.GetBytes(before);
        byte[] body = [.. prefix, 0xE9, .. Encoding.UTF8.GetBytes(after)];
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");

        var problem = await Problem(await _api.Admin.SendAsync(request), HttpStatusCode.BadRequest);

        var error = Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal("$", error.Key);
        Assert.Equal($"the body is not valid UTF-8: the byte at offset {prefix.Length} (0xE9) starts no valid character; send the body encoded as UTF-8",
            (string)error.Value![0]!);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Client.GetAsync("/leads/x")).StatusCode);
    }

    [Fact]
    public async Task BodyEndingInTheMiddleOfACharacter_IsRefusedSayingSo()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/leads/x") { Content = new ByteArrayContent([.. "{\"attributes\":{\"a\":\""u8, 0xC3]) };
        request.Content.Headers.ContentType = new("application/json");

        var (path, message) = Single(await Problem(await _api.Client.SendAsync(request), HttpStatusCode.BadRequest));

        Assert.Equal("$", path);
        Assert.Contains("ends in the middle of a character at byte offset 20 (0xC3)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyInUtf8_WithCharactersBeyondAscii_IsRead()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/leads/x")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"attributes\":{\"city\":\"Zürich 東京 🚀\"},\"createdAt\":\"2025-11-20T10:00:00Z\"}")),
        };
        request.Content.Headers.ContentType = new("application/json");

        var response = await _api.Client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var lead = JsonNode.Parse(await (await _api.Client.GetAsync("/leads/x")).Content.ReadAsStringAsync())!;
        Assert.Equal("Zürich 東京 🚀", (string)lead["attributes"]!["city"]!);
    }

    private static (string Path, string Message) Single(JsonNode problem)
    {
        var error = Assert.Single(problem["errors"]!.AsObject());
        return (error.Key, (string)error.Value![0]!);
    }

    [Theory]
    [InlineData("PUT", "/leads/x", "text/plain")]
    [InlineData("POST", "/leads/x/events", "application/x-www-form-urlencoded")]
    [InlineData("POST", "/events", "text/plain")]
    [InlineData("POST", "/score", "text/plain")]
    [InlineData("POST", "/score/batch", "application/xml")]
    public async Task WrongContentType_Is415ProblemSayingToSendJson(string method, string url, string contentType)
    {
        var problem = await Problem(await Send(method, url, "{}", contentType), HttpStatusCode.UnsupportedMediaType);

        var detail = (string)problem["detail"]!;
        Assert.Contains($"the body was sent as '{contentType}", detail, StringComparison.Ordinal);
        Assert.Contains("send it as JSON with Content-Type: application/json", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Client.GetAsync("/leads/x")).StatusCode);
    }
}
