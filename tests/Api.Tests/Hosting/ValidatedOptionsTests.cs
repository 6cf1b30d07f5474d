using System.Net;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.Hosting;

/// <summary>Settings are checked when the Api starts: a bad one stops the start with a message naming it, instead of
/// failing requests later.</summary>
[Collection(BundleCollection.Name)]
public sealed class ValidatedOptionsTests(TrainedBundle bundle)
{
    [Theory]
    [InlineData("LeadML:BlendWeight", "LeadML:BlendWeight", "1.5")]
    [InlineData("LeadML:BlendWeight", "LeadML:BlendWeight", "-0.1")]
    [InlineData("LeadML:BatchLimit", "LeadML:BatchLimit", "0")]
    [InlineData("LeadML:BulkLeadLimit", "LeadML:BulkLeadLimit", "0")]
    [InlineData("LeadML:TopContributions", "LeadML:TopContributions", "-1")]
    [InlineData("LeadML:MaxRequestBytes", "LeadML:MaxRequestBytes", "0")]
    [InlineData("LeadML:MaxUrlBytes", "LeadML:MaxUrlBytes", "100")]
    [InlineData("LeadML:Promotion:Auto", "LeadML:Promotion:Auto", "maybe")]
    [InlineData("LeadML:Webhooks:0:Url", "LeadML:Webhooks:0:Url", "hooks.example.com/leadml", "LeadML:Webhooks:0:Secret", "s3cret")]
    [InlineData("LeadML:Webhooks:1:Secret", "LeadML:Webhooks:0:Url", "https://a.example.com/leadml", "LeadML:Webhooks:0:Secret", "s3cret",
        "LeadML:Webhooks:1:Url", "https://b.example.com/leadml")]
    [InlineData("LeadML:Keys:Reviewer:0", "LeadML:Keys:Reviewer:0", ApiFactory.AdminKey)]
    [InlineData("LeadML:Cors:Origins:0", "LeadML:Cors:Origins:0", "https://crm.example.com/")]
    [InlineData("LeadML:Cors:Origins:1", "LeadML:Cors:Origins:0", "https://crm.example.com", "LeadML:Cors:Origins:1", "crm.example.com")]
    [InlineData("LeadML:RateLimit:PermitsPerMinute", "LeadML:RateLimit:PermitsPerMinute", "-1")]
    [InlineData("LeadML:Rescoring:Share", "LeadML:Rescoring:Share", "0")]
    [InlineData("LeadML:Rescoring:Share", "LeadML:Rescoring:Share", "1.5")]
    public void Start_WithABadSetting_StopsWithAMessageNamingIt(string named, params string[] settings)
    {
        var pairs = settings.Chunk(2).Select(p => (p[0], (string?)p[1])).Append(("LeadML:WatchBundles", "false")).ToArray();
        using var api = ApiFactory.For(bundle.Directory, pairs);

        var failure = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        var messages = Messages(failure).ToList();
        Assert.True(messages.Any(m => m.Contains(named, StringComparison.Ordinal)), $"no message names {named}: {string.Join(" | ", messages)}");
    }

    [Fact]
    public async Task Start_WithSettingsAtTheirLimits_Serves()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"), ("LeadML:BlendWeight", "1"), ("LeadML:BatchLimit", "1"),
            ("LeadML:TopContributions", "0"), ("LeadML:MaxRequestBytes", "1"), ("LeadML:Promotion:Auto", "true"),
            ("LeadML:Rescoring:Share", "0.1"),
            ("LeadML:Webhooks:0:Url", "https://hooks.example.com/leadml"), ("LeadML:Webhooks:0:Secret", "s3cret"));

        var ready = await api.Client(key: null).GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static IEnumerable<string> Messages(Exception e)
    {
        yield return e.Message;
        var inner = e is AggregateException a ? a.InnerExceptions : e.InnerException is { } i ? [i] : [];
        foreach (var m in inner.SelectMany(Messages)) yield return m;
    }
}
