using LeadML.Api.Leads;
using LeadML.Api.Store;

namespace LeadML.Api.Tests.Leads;

/// <summary>A score change's cause in words: from its cause when it has one, from its reason alone when it was recorded
/// before causes were kept.</summary>
public sealed class ScoreChangeTextTests
{
    private static readonly DateTime At = new(2026, 12, 7, 9, 30, 0, DateTimeKind.Utc);

    private static string Describe(string reason, ScoreCause? cause = null, string ruleSet = "v3", string model = "m2") =>
        ScoreChangeText.Describe(new ScoreChange(At, 70, 60, "B", false, model, ruleSet, reason, cause));

    private static CauseEvent Event(string id, string type, string? detail = null) => new(id, type, At.AddMinutes(-5), detail);

    [Fact]
    public void Events_AreNamedByTheirVerbs_RepeatsCounted()
    {
        Assert.Equal("Requested a demo; Viewed /pricing", Describe("event", new ScoreCause([Event("a", "demo_request"), Event("b", "page_view", "/pricing")], 2)));
        Assert.Equal("Viewed /pricing (3 new events)",
            Describe("event", new ScoreCause([Event("a", "page_view", "/pricing"), Event("b", "page_view", "/pricing"), Event("c", "page_view", "/pricing")], 3)));
        // More events than an entry lists: the count says so.
        Assert.Equal("Opened an e-mail (45 new events)", Describe("event", new ScoreCause([Event("a", "email_open")], 45)));
    }

    [Fact]
    public void Attributes_AreNamedInWords_ByWhatHappenedToThem()
    {
        var changes = new ScoreCause(Attributes: [new("job_title", "changed"), new("company_size", "set"), new("lead_source", "removed")], CreatedAtChanged: true);
        Assert.Equal("Job title changed; Company size given; Lead source removed; creation date changed", Describe("attributes", changes));
        Assert.Equal("New lead: Industry and Country given", Describe("attributes", new ScoreCause(Attributes: [new("industry", "set"), new("country", "set")], NewLead: true)));
        Assert.Equal("The lead's attributes were sent again, unchanged", Describe("attributes", new ScoreCause(Attributes: [])));
    }

    [Fact]
    public void VersionsTimeAndConversion_ReadFromTheCause()
    {
        Assert.Equal("Rule set v3 put in force, replacing the suggested points", Describe("new rule set", new ScoreCause(PreviousRuleSetVersion: "suggested")));
        Assert.Equal("Model m2 put in force, replacing m1", Describe("new model", new ScoreCause(PreviousModelVersion: "m1")));
        Assert.Equal("Time passed: scored again 9 days after its last score, as its events aged",
            Describe("rescoring", new ScoreCause(PreviouslyScoredAt: new DateTimeOffset(At.AddDays(-9).AddHours(-3), TimeSpan.Zero))));
        Assert.Equal("Time moved forward for a test: an administrator rescored it as of 2026-12-07 09:30 UTC (asked on 2026-11-01 08:00 UTC)",
            Describe("rescoring as of", new ScoreCause(RequestedAt: new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero))));
        Assert.Equal("Converted on 2026-12-06 00:00 UTC: no longer rescored nor alerted on",
            Describe("conversion", new ScoreCause(ConvertedAt: new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero))));
    }

    [Theory]
    [InlineData("event", "New events")]
    [InlineData("attributes", "The lead's attributes were sent")]
    [InlineData("rescoring", "Time passed: scored again as its events aged")]
    [InlineData("new rule set", "Rule set v3 put in force")]
    [InlineData("new model", "Model m2 put in force")]
    [InlineData("conversion", "Converted: no longer rescored nor alerted on")]
    [InlineData("conversion undone", "Its conversion was undone")]
    public void AnEntryWithoutACause_ReadsFromItsReason(string reason, string expected) => Assert.Equal(expected, Describe(reason));
}
