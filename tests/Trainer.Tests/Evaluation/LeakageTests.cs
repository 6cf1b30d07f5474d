using System.Globalization;
using System.Text;
using LeadML.Features.Bundles;
using LeadML.Features.History;
using LeadML.Features.Randomness;
using LeadML.Features.Snapshots;
using LeadML.Trainer.Evaluation;
using LeadML.Trainer.Tests.Modeling;
using LeadML.Trainer.Tests.Snapshots;

namespace LeadML.Trainer.Tests.Evaluation;

/// <summary>The leak guard on small generated histories, each planting one kind of leak, and on the shared data sets'
/// committed schemas, where it must find nothing.</summary>
public sealed class LeakageTests
{
    private const string SingleTable = """
        { "kind": "singleTable", "leads": { "id": null, "createdAt": null, "convertedAt": null },
          "outcome": { "column": "converted", "positive": ["yes"] } }
        """;

    /// <summary>A single table of <paramref name="rows"/> leads: an honest industry and score, and whatever
    /// <paramref name="extra"/> adds from the outcome (column name, value).</summary>
    private static string Table(int rows, ulong seed, (string Name, Func<Xoshiro256, bool, string> Value)? extra = null)
    {
        var rng = new Xoshiro256(seed);
        var text = new StringBuilder("industry,score,converted" + (extra is { } e ? "," + e.Name : "") + "\n");
        string[] industries = ["Software", "Finance", "Retail", "Government"];
        for (var i = 0; i < rows; i++)
        {
            var industry = industries[rng.NextInt(industries.Length)];
            var score = rng.NextDouble() * 10;
            var logOdds = -2.5 + 0.25 * score + (industry == "Software" ? 0.8 : industry == "Government" ? -0.8 : 0);
            var converted = rng.NextDouble() < 1 / (1 + Math.Exp(-logOdds));
            text.Append(CultureInfo.InvariantCulture, $"{industry},{score:F2},{(converted ? "yes" : "no")}");
            if (extra is { } x) text.Append(',').Append(x.Value(rng, converted));
            text.Append('\n');
        }
        return text.ToString();
    }

    private static IReadOnlyList<LeakFinding> Guard(string leadsCsv, string schema = SingleTable)
    {
        using var history = new TinyHistory(leadsCsv, schemaJson: schema);
        var h = HistoryReader.Read(history.Folder);
        return Leakage.Attributes(h.Leads, h.Kind, null, "leads");
    }

    [Fact]
    public void Attributes_CrmStatusSetAfterContact_IsFlaggedAsAColumnAndByItsPureValues()
    {
        // Sales set the status after contact: each converted lead gets one of three "won" values, each lost lead one of
        // three "lost" values. No single value covers most converters, yet the column separates the outcome.
        var findings = Guard(Table(3000, 11, ("status", (rng, converted) => converted
            ? new[] { "closed by sales", "closed by partner", "will revert" }[rng.NextInt(3)]
            : new[] { "lost to competitor", "no budget", "no answer" }[rng.NextInt(3)])));

        var column = Assert.Single(findings, f => f.Kind == LeakKind.Column);
        Assert.Equal("status", column.Column);
        Assert.True(column.RocAuc >= 0.99, $"AUC {column.RocAuc}");
        Assert.Contains("'status'", column.Message, StringComparison.Ordinal);
        Assert.Contains("ignore", column.Message, StringComparison.Ordinal);
        var levels = findings.Where(f => f.Kind == LeakKind.Level).Select(f => f.Level!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["closed by partner", "closed by sales", "will revert"], levels);
        Assert.All(findings.Where(f => f.Kind == LeakKind.Level), f => Assert.Equal(1.0, f.Share!.Value, 6));
        Assert.DoesNotContain(findings, f => f.Column is "industry" or "score");
    }

    [Fact]
    public void Attributes_ADateFilledOnlyForConvertedLeads_IsFlaggedAsAColumn()
    {
        var findings = Guard(Table(3000, 12, ("contract_signed", (rng, converted) =>
            converted || rng.NextBool(0.01) ? $"2025-{1 + rng.NextInt(12):D2}-{1 + rng.NextInt(28):D2}" : "")));
        var column = Assert.Single(findings, f => f.Kind == LeakKind.Column);
        Assert.Equal("contract_signed", column.Column);
    }

    [Fact]
    public void Attributes_OnePureValueOfAnOrdinaryColumn_IsFlaggedAsALevelOnly()
    {
        // 'won - onboarding' covers about a tenth of the converters: the column as a whole stays far below 0.9.
        var findings = Guard(Table(3000, 13, ("stage", (rng, converted) =>
            converted && rng.NextBool(0.1) ? "won - onboarding" : new[] { "new", "contacted", "qualified" }[rng.NextInt(3)])));
        var level = Assert.Single(findings);
        Assert.Equal(LeakKind.Level, level.Kind);
        Assert.Equal(("stage", "won - onboarding"), (level.Column, level.Level));
        Assert.True(level.Leads >= Leakage.LevelLeads);
        Assert.Contains("'stage' = 'won - onboarding'", level.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_PredictiveColumnsAndAnId_AreLeftAlone()
    {
        var counter = 0;
        // A unique reference per lead would be "pure" within itself; cross-fitting makes it predict nothing.
        var findings = Guard(Table(3000, 14, ("reference", (_, _) => $"R{counter++:D5}")));
        Assert.Empty(findings);
    }

    [Fact]
    public void Attributes_AFewPureValuesUnderTwentyLeads_AreNotFlagged()
    {
        var table = Table(3000, 15, ("campaign", (rng, converted) =>
            converted && rng.NextBool(0.015) ? "vip dinner" : new[] { "spring", "summer", "autumn" }[rng.NextInt(3)]));
        Assert.InRange(table.Split("vip dinner").Length - 1, 5, Leakage.LevelLeads - 1);
        Assert.DoesNotContain(Guard(table), f => f.Level == "vip dinner");
    }

    [Fact]
    public void Validation_FlagsOnlyAnAucOfAtLeast095()
    {
        var finding = Leakage.Validation(0.97, 1200);
        Assert.NotNull(finding);
        Assert.Equal(LeakKind.ValidationAuc, finding.Kind);
        Assert.Contains("0.970", finding.Message, StringComparison.Ordinal);
        Assert.Null(Leakage.Validation(0.94, 1200));
        Assert.Null(Leakage.Validation(null, 1200));
    }

    /// <summary>An event history over 14 months: page views before conversion, logins only after it, e-mail opens
    /// throughout; 'invoice' details are split, one ('paid') only after conversion.</summary>
    private static TinyHistory EventHistory()
    {
        var rng = new Xoshiro256(21);
        var leads = new StringBuilder("lead_id,created_at,converted_at,industry\n");
        var events = new StringBuilder("lead_id,timestamp,type,detail\n");
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string T(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        for (var i = 0; i < 800; i++)
        {
            var created = start.AddDays(rng.NextInt(330)).AddHours(9);
            var converts = rng.NextBool(0.3);
            var converted = created.AddDays(10 + rng.NextInt(60));
            leads.Append(CultureInfo.InvariantCulture, $"L{i},{T(created)},{(converts ? T(converted) : "")},{(rng.NextBool(0.5) ? "Software" : "Retail")}\n");
            var end = converts ? converted : created.AddDays(80);
            for (var k = 0; k < 4; k++) events.Append(CultureInfo.InvariantCulture, $"L{i},{T(created.AddHours(1 + rng.NextInt((int)(end - created).TotalHours - 1)))},page_view,/pricing\n");
            for (var k = 0; k < 3; k++) events.Append(CultureInfo.InvariantCulture, $"L{i},{T(created.AddDays(rng.NextInt(120)))},email_open,\n");
            events.Append(CultureInfo.InvariantCulture, $"L{i},{T(created.AddDays(1 + rng.NextInt(5)))},invoice,quote\n");
            if (!converts) continue;
            for (var k = 0; k < 5; k++) events.Append(CultureInfo.InvariantCulture, $"L{i},{T(converted.AddDays(rng.NextInt(40)))},login,\n");
            for (var k = 0; k < 2; k++) events.Append(CultureInfo.InvariantCulture, $"L{i},{T(converted.AddDays(rng.NextInt(40)))},invoice,paid\n");
        }
        return new TinyHistory(leads.ToString(), events.ToString());
    }

    [Fact]
    public void Events_DoneMostlyAfterConversion_AreReportedAsHandled_AndLeftOutOfTheFeatures()
    {
        using var history = EventHistory();
        var h = HistoryReader.Read(history.Folder);
        var snapshots = SnapshotBuilder.Build(h);

        var findings = Leakage.Events(snapshots.PostConversionEvents);
        Assert.Equal([("invoice", "paid"), ("login", null)], findings.Select(f => (f.EventType!, f.Detail)).ToArray());
        Assert.All(findings, f => Assert.True(f.Handled));
        var login = findings.Single(f => f.EventType == "login");
        Assert.Equal(1.0, login.Share!.Value, 6);
        Assert.Contains("left out of the model", login.Message, StringComparison.Ordinal);

        Assert.DoesNotContain(snapshots.Spec.Channels, c => c.Type == "login");
        Assert.DoesNotContain(snapshots.Spec.Channels, c => c is { Type: "invoice", Detail: "paid" });
        Assert.DoesNotContain(snapshots.Spec.Features, f => f.Name.Contains("login", StringComparison.Ordinal));
        Assert.Contains(snapshots.Spec.Channels, c => c.Type == "page_view");
        Assert.Contains(snapshots.Spec.Channels, c => c.Type == "email_open");
        Assert.Contains(snapshots.Spec.Channels, c => c.Type == "invoice");
    }

    [Theory]
    [InlineData("bank-additional")]
    [InlineData("bank-full")]
    [InlineData("online-shoppers")]
    [InlineData("olist")]
    public void SharedDataSets_CommittedSchemas_TripNoWarning(string schema)
    {
        var path = Path.Combine(BankMarketing.RepoRoot(), "data", "schemas", schema + ".json");
        var h = HistoryReader.Read(path);
        Assert.NotEmpty(h.Leads.Leads);
        Assert.Empty(Leakage.Attributes(h.Leads, h.Kind, null, "leads"));
    }
}
