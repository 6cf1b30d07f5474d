using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.RuleSets;

/// <summary>The README's "A draft's life, step by step" is what the Api does: every request it shows is sent in order
/// and answers the status the README says.</summary>
[Collection(BundleCollection.Name)]
public sealed partial class ReadmeDraftExampleTests(TrainedBundle bundle) : IDisposable
{
    private readonly ApiFactory _factory = ApiFactory.For(bundle.CopyTo());

    public void Dispose() => _factory.Dispose();

    /// <summary>One numbered step: its request (method, path, headers, body) and the status the README says it answers.</summary>
    private sealed record Step(int Number, string Method, string Path, List<(string Name, string Value)> Headers, string Body, int Status);

    [GeneratedRegex(@"^(?<n>\d+)\. ```http\n(?<request>.*?)\n\s*```\n\s*→ `(?<status>\d{3})`", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"<ETag from step (?<n>\d+)>")]
    private static partial Regex ETagReference();

    private static List<Step> Steps()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeadML.sln"))) dir = dir.Parent;
        var readme = File.ReadAllText(Path.Combine(dir!.FullName, "README.md")).Replace("\r\n", "\n");
        var start = readme.IndexOf("A draft's life, step by step", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README has no step-by-step draft example");
        var section = readme[start..readme.IndexOf("**What-if.**", start, StringComparison.Ordinal)];
        var steps = new List<Step>();
        foreach (Match m in StepPattern().Matches(section))
        {
            var lines = m.Groups["request"].Value.Split('\n').Select(l => l.Trim()).ToList();
            var requestLine = lines[0].Split(' ');
            var blank = lines.IndexOf("");
            var headerLines = blank < 0 ? lines[1..] : lines[1..blank];
            var headers = headerLines.Select(h => (h[..h.IndexOf(':')].Trim(), h[(h.IndexOf(':') + 1)..].Trim())).ToList();
            var body = blank < 0 ? "" : string.Join("\n", lines[(blank + 1)..]);
            steps.Add(new Step(int.Parse(m.Groups["n"].Value), requestLine[0], requestLine[1], headers, body, int.Parse(m.Groups["status"].Value)));
        }
        return steps;
    }

    [Fact]
    public async Task TheReadmesDraftExample_AnswersWhatTheReadmeSays()
    {
        var steps = Steps();
        Assert.Equal(Enumerable.Range(1, 8), steps.Select(s => s.Number));
        var client = _factory.Client(ApiFactory.ReviewerKey);
        var tags = new Dictionary<int, string>();
        foreach (var step in steps)
        {
            using var request = new HttpRequestMessage(new HttpMethod(step.Method), step.Path);
            string? contentType = null;
            foreach (var (name, value) in step.Headers)
            {
                var resolved = ETagReference().Replace(value, r => tags[int.Parse(r.Groups["n"].Value)]);
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) contentType = resolved;
                else request.Headers.TryAddWithoutValidation(name, resolved);
            }
            if (step.Body.Length > 0) request.Content = new StringContent(step.Body, Encoding.UTF8, contentType ?? "application/json");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == step.Status, $"step {step.Number} ({step.Method} {step.Path}): {(int)response.StatusCode} {text}");
            if (response.Headers.ETag is { } tag) tags[step.Number] = tag.ToString();
        }

        // What the steps say they did.
        var v1 = JsonNode.Parse(await client.GetStringAsync("/rulesets/sample/1"))!;
        Assert.Equal("approved", (string?)v1["summary"]!["status"]);
        Assert.Equal(70, (double)v1["rules"]!["thresholds"]!["salesReady"]!);
        Assert.DoesNotContain(v1["rules"]!["criteria"]!.AsArray(), c => (string?)c!["id"] == "big-company");
        var suggestion = JsonNode.Parse(await client.GetStringAsync("/rulesets/sample/0"))!;
        Assert.Equal(suggestion["rules"]!["criteria"]!.AsArray().Count, v1["rules"]!["criteria"]!.AsArray().Count);
        var score = await RuleSetEndpointsTests.Send(_factory.Client(), HttpMethod.Post, "/score", RuleSetEndpointsTests.Lead());
        Assert.Equal("v1", (string?)score["ruleSetVersion"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/rulesets/sample/1")).StatusCode);
    }
}
