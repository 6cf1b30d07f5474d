using LeadML.Features.History;

namespace LeadML.Features.Tests.History;

/// <summary>The schema files in data/schemas read the real data sets beside the repository.</summary>
public sealed class RealDataSchemaTests
{
    private static LeadHistory Read(string schema) => HistoryReader.Read(RepoPaths.Schema(schema));

    private static void AssertNonDecreasing(IEnumerable<DateTime> times)
    {
        var previous = DateTime.MinValue;
        var row = 0;
        foreach (var t in times)
        {
            Assert.True(t >= previous, $"row {row}: {t:yyyy-MM-dd} after {previous:yyyy-MM-dd}");
            previous = t;
            row++;
        }
    }

    [Fact]
    public void BankAdditional_ReadsEveryRowInTimeOrderWithoutDuration()
    {
        var h = Read("bank-additional.json");

        var leads = h.Leads.Leads;
        Assert.Equal(HistoryKind.SingleTable, h.Kind);
        Assert.Equal(41188, leads.Count);
        Assert.Equal(4640, leads.Count(l => l.Outcome == true));
        var names = h.Leads.Columns.Select(c => c.Name).ToList();
        Assert.DoesNotContain("duration", names);
        Assert.DoesNotContain("y", names);
        Assert.Contains("month", names);
        Assert.Equal(19, names.Count);
        AssertNonDecreasing(leads.Select(l => l.CreatedAt));
        Assert.Equal(new DateTime(2000, 5, 1), leads[0].CreatedAt);
        Assert.Equal(new DateTime(2002, 11, 1), leads[^1].CreatedAt);
        Assert.Equal(ColumnType.Number, h.Leads.Columns.Single(c => c.Name == "euribor3m").Type);
        Assert.Equal(ColumnType.Category, h.Leads.Columns.Single(c => c.Name == "job").Type);
        Assert.Equal("41188", leads[^1].Id);
    }

    [Fact]
    public void BankFull_ReadsEveryRowInTimeOrderWithoutDuration()
    {
        var h = Read("bank-full.json");

        var leads = h.Leads.Leads;
        Assert.Equal(45211, leads.Count);
        Assert.Equal(5289, leads.Count(l => l.Outcome == true));
        var names = h.Leads.Columns.Select(c => c.Name).ToList();
        Assert.DoesNotContain("duration", names);
        Assert.Equal(14, names.Count);
        AssertNonDecreasing(leads.Select(l => l.CreatedAt));
        Assert.Equal(new DateTime(2002, 11, 1), leads[^1].CreatedAt);
    }

    [Fact]
    public void OnlineShoppers_PlacesMonthsInOneYearWithoutPageValues()
    {
        var h = Read("online-shoppers.json");

        var leads = h.Leads.Leads;
        Assert.Equal(12330, leads.Count);
        var positives = leads.Count(l => l.Outcome == true);
        Assert.InRange(positives / (double)leads.Count, 0.15, 0.16);
        var names = h.Leads.Columns.Select(c => c.Name).ToList();
        Assert.DoesNotContain("PageValues", names);
        Assert.DoesNotContain("Revenue", names);
        Assert.DoesNotContain("Month", names);
        Assert.Equal(ColumnType.Category, h.Leads.Columns.Single(c => c.Name == "Region").Type);
        Assert.Equal(ColumnType.Flag, h.Leads.Columns.Single(c => c.Name == "Weekend").Type);
        Assert.All(leads, l => Assert.Equal(2000, l.CreatedAt.Year));
        // Time order is by month (the trainer sorts by time, then row); the split dates land on Nov and Aug.
        AssertNonDecreasing(leads.OrderBy(l => l.CreatedAt).ThenBy(l => l.Row).Select(l => l.CreatedAt));
        Assert.Equal(2998 + 1727, leads.Count(l => l.CreatedAt >= h.Schema.Split.TestFrom));
        Assert.Equal(433 + 448 + 549, leads.Count(l => l.CreatedAt >= h.Schema.Split.ValidationFrom && l.CreatedAt < h.Schema.Split.TestFrom));
    }

    [Fact]
    public void Olist_JoinsClosedDealsWithoutTheirColumns()
    {
        var h = Read("olist.json");

        var leads = h.Leads.Leads;
        Assert.Equal(8000, leads.Count);
        Assert.Equal(842, leads.Count(l => l.Outcome == true));
        Assert.All(leads.Where(l => l.Outcome == true), l => Assert.NotNull(l.ConvertedAt));
        Assert.All(leads.Where(l => l.Outcome == false), l => Assert.Null(l.ConvertedAt));
        // One deal is dated two days before its lead's first contact; the reader keeps it and says so.
        Assert.Contains(h.Report.Notes, n => n.StartsWith("1 lead(s) converted before they were created", StringComparison.Ordinal));
        Assert.Equal(["landing_page_id", "origin"], h.Leads.Columns.Select(c => c.Name));
        Assert.Empty(h.Report.Skips);
        Assert.Equal(3, h.Files.Count);
        Assert.EndsWith("olist_closed_deals_dataset.csv", h.Files[^1]);
        var ordered = leads.OrderBy(l => l.CreatedAt).ThenBy(l => l.Row).ToList();
        AssertNonDecreasing(ordered.Select(l => l.CreatedAt));
        var test = leads.Count(l => l.CreatedAt >= h.Schema.Split.TestFrom);
        var validation = leads.Count(l => l.CreatedAt >= h.Schema.Split.ValidationFrom && l.CreatedAt < h.Schema.Split.TestFrom);
        Assert.InRange(test / 8000.0, 0.19, 0.21);
        Assert.InRange(validation / 8000.0, 0.19, 0.21);
    }

    [Fact]
    public void SchemaFiles_HoldNoMachinePaths()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "data", "schemas"), "*.json"))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("/work", text);
            Assert.DoesNotContain("/root", text);
            Assert.DoesNotContain("/tmp", text);
        }
    }
}
