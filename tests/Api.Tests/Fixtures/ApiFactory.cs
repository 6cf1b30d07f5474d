using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadML.Api.Tests.Fixtures;

/// <summary>
/// The real Api in-process, configured through settings (as an operator would): models, keys and anything else as
/// <c>LeadML:…</c> keys. <see cref="StartKestrel"/> serves it on a loopback port for browsers and load tests.
/// </summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public const string ScoringKey = "test-scoring-key";
    public const string AdminKey = "test-admin-key";
    public const string ReviewerKey = "test-reviewer-key";

    /// <summary>One model "sample" on <paramref name="bundle"/>, with a scoring, a reviewer and an admin key.</summary>
    public static ApiFactory For(string bundle, params (string Key, string? Value)[] extra)
    {
        var s = new Dictionary<string, string?>
        {
            ["LeadML:Models:sample:Bundle"] = bundle,
            ["LeadML:DefaultModel"] = "sample",
            ["LeadML:Keys:Scoring:0"] = ScoringKey,
            ["LeadML:Keys:Admin:0"] = AdminKey,
            ["LeadML:Keys:Reviewer:0"] = ReviewerKey,
        };
        foreach (var (k, v) in extra) s[k] = v;
        return new ApiFactory(s);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Without store settings a test runs without a lead store (rule sets in memory), never on a shared file.
        if (!settings.ContainsKey("LeadML:Store:Provider")) builder.UseSetting("LeadML:Store:Provider", "none");
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
    }

    /// <summary>A client sending the given key (scoring by default).</summary>
    public HttpClient Client(string? key = ScoringKey)
    {
        var c = CreateClient();
        if (key is not null) c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    /// <summary>Starts the Api on a real loopback socket and returns its base address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var server = Services.GetRequiredService<IServer>();
        return new Uri(server.Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}
