using System.Globalization;
using System.Text;
using LeadML.Features.History;
using LeadML.Features.Randomness;

namespace LeadML.Features.Tests.History;

public sealed class CsvEventSourceTests : IDisposable
{
    private readonly TempHistory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void WriteLeads(int count)
    {
        var lines = new List<string> { "lead_id,created_at" };
        for (var i = 0; i < count; i++) lines.Add($"L{i},2024-01-01");
        _dir.Write("leads.csv", [.. lines]);
    }

    [Fact]
    public void ReadEvents_CalledTwice_StreamsTheSameEventsFromTheFile()
    {
        WriteLeads(50);
        var rng = new Xoshiro256(42);
        string[] types = ["page_view", "email_open", "email_click", "form_submit"];
        var sb = new StringBuilder("lead_id,timestamp,type,detail\n");
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 2000; i++)
        {
            var when = start.AddMinutes(rng.NextInt(500_000));
            sb.Append(CultureInfo.InvariantCulture, $"L{rng.NextInt(50)},{when:yyyy-MM-ddTHH:mm:ssZ},{types[rng.NextInt(types.Length)]},p{rng.NextInt(5)}\n");
        }
        File.WriteAllText(Path.Combine(_dir.Folder, "events.csv"), sb.ToString());

        var h = HistoryReader.Read(_dir.Folder);
        var first = h.Events!.ReadEvents(new ReadReport()).ToList();
        var second = h.Events.ReadEvents(new ReadReport()).ToList();

        Assert.Equal(2000, first.Count);
        Assert.Equal(first, second);
        Assert.All(first, e => Assert.InRange(e.LeadIndex, 0, 49));
        Assert.Equal(types.Order(), first.Select(e => e.Type).Distinct().Order());
    }

    [Fact]
    public void ReadEvents_ReReadsTheFileEachTime()
    {
        WriteLeads(2);
        _dir.Write("events.csv", "lead_id,timestamp,type", "L0,2024-01-02,page_view");
        var h = HistoryReader.Read(_dir.Folder);
        Assert.Single(h.Events!.ReadEvents(new ReadReport()));

        _dir.Write("events.csv", "lead_id,timestamp,type", "L0,2024-01-02,page_view", "L1,2024-01-03,webinar");

        Assert.Equal(2, h.Events.ReadEvents(new ReadReport()).Count());
    }

    [Fact]
    public void ReadEvents_UnknownLead_IsAnErrorWithFileLineColumn()
    {
        WriteLeads(2);
        _dir.Write("events.csv", "lead_id,timestamp,type", "L0,2024-01-02,page_view", "L9,2024-01-03,page_view");
        var h = HistoryReader.Read(_dir.Folder);

        var e = Assert.Throws<HistoryFormatException>(() => h.Events!.ReadEvents(new ReadReport()).ToList());

        Assert.Equal(("events.csv", 3L, "lead_id"), (e.File, e.Line!.Value, e.Column));
        Assert.Contains("events.csv line 3, column 'lead_id'", e.Message);
        Assert.Contains("'L9'", e.Message);
        Assert.Contains("unknownLeads", e.Message);
    }

    [Fact]
    public void ReadEvents_UnknownLeadsSkipped_AreCountedWithExamples()
    {
        WriteLeads(2);
        _dir.Write("events.csv", "lead_id,timestamp,type",
            "L0,2024-01-02,page_view", "X1,2024-01-03,page_view", "L1,2024-01-03,page_view", "X2,2024-01-04,page_view", "X1,2024-01-05,email_open");
        _dir.Write("leadml.json", """{ "events": { "unknownLeads": "skip" } }""");
        var h = HistoryReader.Read(_dir.Folder);
        var report = new ReadReport();

        var events = h.Events!.ReadEvents(report).ToList();

        Assert.Equal(2, events.Count);
        var skip = Assert.Single(report.Skips);
        Assert.Equal(3, skip.Value.Count);
        Assert.Equal(["events.csv line 3 ('X1')", "events.csv line 5 ('X2')", "events.csv line 6 ('X1')"], skip.Value.Examples);
    }

    [Fact]
    public void ReadEvents_UnparsableTimestamp_NamesLineAndColumn()
    {
        WriteLeads(1);
        _dir.Write("events.csv", "lead_id,timestamp,type", "L0,2024-01-02,page_view", "L0,yesterday,page_view");
        var h = HistoryReader.Read(_dir.Folder);

        var e = Assert.Throws<HistoryFormatException>(() => h.Events!.ReadEvents(new ReadReport()).ToList());

        Assert.Contains("events.csv line 3, column 'timestamp'", e.Message);
        Assert.Contains("'yesterday'", e.Message);
    }

    [Fact]
    public void Open_MissingEventColumn_FailsWhenTheHistoryIsRead()
    {
        WriteLeads(1);
        _dir.Write("events.csv", "lead_id,occurred_at,type", "L0,2024-01-02,page_view");

        var e = Assert.Throws<HistoryFormatException>(() => HistoryReader.Read(_dir.Folder));

        Assert.Contains("events.csv line 1, column 'timestamp'", e.Message);
        Assert.Contains("\"events.timestamp\": \"occurred_at\"", e.Message);
    }

    [Fact]
    public void ReadEvents_RaggedRow_NamesLine()
    {
        WriteLeads(1);
        _dir.Write("events.csv", "lead_id,timestamp,type", "L0,2024-01-02,page_view,extra");
        var h = HistoryReader.Read(_dir.Folder);

        var e = Assert.Throws<HistoryFormatException>(() => h.Events!.ReadEvents(new ReadReport()).ToList());

        Assert.Contains("events.csv line 2", e.Message);
    }
}
