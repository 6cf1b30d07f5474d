using LeadML.Features.History;

namespace LeadML.Features.Tests.History;

public sealed class HistorySummaryTests : IDisposable
{
    private readonly TempHistory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Describe_ListsCountsColumnsEventsSkipsAndNotes()
    {
        _dir.Write("leads.csv",
            "lead_id,created_at,converted_at,industry,employees",
            "a,2024-01-05,2024-02-01,Software,10",
            "b,2024-03-06,,Software,20",
            "c,2024-02-01,,Retail,");
        _dir.Write("events.csv", "lead_id,timestamp,type", "a,2024-01-06,page_view", "b,2024-03-07,page_view", "zz,2024-03-07,email_open", "c,2024-03-08,email_open");
        _dir.Write("leadml.json", """{ "events": { "unknownLeads": "skip" }, "negative": { "industry": ["Retail"] } }""");
        var h = HistoryReader.Read(_dir.Folder);

        var text = HistorySummary.Describe(h);

        Assert.Contains("Leads: 3", text);
        Assert.Contains("Converted: 1 (33.33 %)", text);
        Assert.Contains("Created: 2024-01-05 .. 2024-03-06", text);
        Assert.Contains("leads.csv", text);
        Assert.Contains("events.csv", text);
        Assert.Contains("leadml.json", text);
        Assert.Matches(@"industry\s+category \(inferred\)\s+2 levels: Software 2, Retail 1", text);
        Assert.Matches(@"employees\s+number \(inferred\)\s+min 10, median 20, max 20, missing 1", text);
        Assert.Contains("negative: Retail", text);
        Assert.Contains("Events: 3", text);
        Assert.Contains("page_view: 2", text);
        Assert.Contains("email_open: 1", text);
        Assert.Contains("lead id not in leads.csv: 1", text);
        Assert.Contains("inferred: industry = category (2 distinct)", text);
    }

    [Fact]
    public void Describe_WithoutEvents_DoesNotStreamThem()
    {
        _dir.Write("leads.csv", "lead_id,created_at", "a,2024-01-05");
        _dir.Write("events.csv", "lead_id,timestamp,type", "a,not a time,page_view");
        var h = HistoryReader.Read(_dir.Folder);

        var text = HistorySummary.Describe(h, includeEvents: false);

        Assert.Contains("Leads: 1", text);
        Assert.DoesNotContain("Events:", text);
    }

    [Fact]
    public void Describe_SingleTable_CountsOutcomes()
    {
        _dir.Write("leads.csv", "y,x", "yes,1", "no,2", "no,3", "yes,4");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" } }""");

        var text = HistorySummary.Describe(HistoryReader.Read(_dir.Folder));

        Assert.Contains("single table", text);
        Assert.Contains("Converted: 2 (50.00 %)", text);
        Assert.Contains("Events: none", text);
    }

    [Fact]
    public void Describe_SyntheticTimes_SayRowOrderOrMonths_NeverInventedDates()
    {
        _dir.Write("leads.csv", "y,x", "1,a", "0,b", "0,c");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" } }""");
        var rows = HistorySummary.Describe(HistoryReader.Read(_dir.Folder));
        _dir.Write("leads.csv", "month,y", "may,no", "dec,yes", "mar,no");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" }, "order": { "column": "month", "format": "monthName" } }""");
        var months = HistorySummary.Describe(HistoryReader.Read(_dir.Folder));

        Assert.Contains("Time: row order only (rows 1 .. 3); the export has no dates", rows);
        Assert.Contains("Time: months May (year 1) .. Mar (year 2); the export names months, not years", months);
        Assert.DoesNotContain("2000-", rows + months);
        Assert.DoesNotContain("2001-", months);
    }
}
