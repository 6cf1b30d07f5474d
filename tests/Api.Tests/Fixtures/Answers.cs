using System.Net;
using System.Text.Json.Nodes;

namespace LeadML.Api.Tests.Fixtures;

/// <summary>Reading the Api's answers in tests: a body as JSON after its status is checked, and waiting for what a
/// background service (rescoring, alerts) does in its own time.</summary>
internal static class Answers
{
    /// <summary>The body as JSON after checking the status (the body is in the failure message).</summary>
    public static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Polls <paramref name="done"/> until it holds, failing with <paramref name="what"/> after 20 seconds.</summary>
    public static async Task WaitUntil(Func<Task<bool>> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
