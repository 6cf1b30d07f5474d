using LeadML.Features.History;

namespace LeadML.Features.Tests.History;

public sealed class HistorySchemaFileTests : IDisposable
{
    private readonly TempHistory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SaveThenLoad_KeepsEverySetting()
    {
        var schema = new HistorySchema
        {
            Kind = HistoryKind.SingleTable,
            Leads = { File = "x.csv", Delimiter = ";", Id = null, CreatedAt = null },
            Outcome = new OutcomeSchema { Column = "y", Positive = ["yes"] },
            Order = new OrderSchema { Column = "month", Format = OrderFormat.MonthName, OneYear = true },
            Columns = { ["code"] = ColumnType.Category },
            Ignore = ["duration"],
            Negative = { ["job"] = ["student"] },
            HorizonDays = 30,
            Split = { TestFrom = new DateTime(2000, 11, 1, 0, 0, 0, DateTimeKind.Utc) },
        };
        var path = Path.Combine(_dir.Folder, "leadml.json");

        HistorySchemaFile.Save(schema, path);
        var text = File.ReadAllText(path);
        var back = HistorySchemaFile.Load(path);

        Assert.Contains("\"kind\": \"singleTable\"", text);
        Assert.Contains("\"format\": \"monthName\"", text);
        Assert.Equal(HistoryKind.SingleTable, back.Kind);
        Assert.Null(back.Leads.Id);
        Assert.Equal(";", back.Leads.Delimiter);
        Assert.Equal(["yes"], back.Outcome!.Positive);
        Assert.True(back.Order!.OneYear);
        Assert.Equal(OrderFormat.MonthName, back.Order.Format);
        Assert.Equal(ColumnType.Category, back.Columns["code"]);
        Assert.Equal(["duration"], back.Ignore);
        Assert.Equal(["student"], back.Negative["job"]);
        Assert.Equal(30, back.HorizonDays);
        Assert.Equal(new DateTime(2000, 11, 1), back.Split.TestFrom);
    }

    [Fact]
    public void Load_UnknownSetting_NamesItsJsonPath()
    {
        var path = _dir.Write("leadml.json", "{", "  \"leads\": {", "    \"idd\": \"contact_id\"", "  }", "}");

        var e = Assert.Throws<HistoryFormatException>(() => HistorySchemaFile.Load(path));

        Assert.Contains("leadml.json", e.Message);
        Assert.Contains("$.leads.idd is not a known setting", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Load_BadEnumValue_NamesPathValueAndChoices()
    {
        var path = _dir.Write("leadml.json", """{ "kind": "table" }""");

        var e = Assert.Throws<HistoryFormatException>(() => HistorySchemaFile.Load(path));

        Assert.Contains("$.kind", e.Message);
        Assert.Contains("\"table\"", e.Message);
        Assert.Contains("\"singleTable\"", e.Message);
    }

    [Fact]
    public void Load_BadColumnType_NamesTheColumnPath()
    {
        var path = _dir.Write("leadml.json", """{ "columns": { "employees": "integer" } }""");

        var e = Assert.Throws<HistoryFormatException>(() => HistorySchemaFile.Load(path));

        Assert.Contains("$.columns.employees", e.Message);
        Assert.Contains("\"number\"", e.Message);
    }

    [Fact]
    public void Load_TextWhereNumberExpected_SaysWhatIsExpected()
    {
        var path = _dir.Write("leadml.json", """{ "horizonDays": "ninety" }""");

        var e = Assert.Throws<HistoryFormatException>(() => HistorySchemaFile.Load(path));

        Assert.Contains("$.horizonDays", e.Message);
        Assert.Contains("a whole number", e.Message);
    }

    [Fact]
    public void Load_OutOfRangeHorizon_IsAnError()
    {
        var path = _dir.Write("leadml.json", """{ "horizonDays": 0 }""");

        var e = Assert.Throws<HistoryFormatException>(() => HistorySchemaFile.Load(path));

        Assert.Contains("$.horizonDays", e.Message);
    }

    [Fact]
    public void Load_FromFileWithoutKey_NamesTheMissingSetting()
    {
        var path = _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "fromFile": { "file": "deals.csv" } } }""");

        var e = Assert.Throws<HistoryFormatException>(() => HistorySchemaFile.Load(path));

        Assert.Contains("$.outcome.fromFile", e.Message);
        Assert.Contains("'key'", e.Message);
    }

    [Fact]
    public void Load_NullWhereNotAllowed_IsAnError()
    {
        var path = _dir.Write("leadml.json", """{ "leads": null }""");

        var e = Assert.Throws<HistoryFormatException>(() => HistorySchemaFile.Load(path));

        Assert.Contains("$.leads", e.Message);
    }

    [Fact]
    public void Load_CommentsAndTrailingCommas_AreAllowed()
    {
        var path = _dir.Write("leadml.json", "{", "  // the CRM export", "  \"ignore\": [\"notes\",],", "  /* block */ \"horizonDays\": 60,", "}");

        var schema = HistorySchemaFile.Load(path);

        Assert.Equal(["notes"], schema.Ignore);
        Assert.Equal(60, schema.HorizonDays);
    }

    [Fact]
    public void Load_BrokenJson_NamesFileAndLine()
    {
        var path = _dir.Write("leadml.json", "{", "  \"ignore\": [\"a\" \"b\"]", "}");

        var e = Assert.Throws<HistoryFormatException>(() => HistorySchemaFile.Load(path));

        Assert.Equal("leadml.json", e.File);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Load_MissingFile_IsAnError()
    {
        var e = Assert.Throws<HistoryFormatException>(() => HistorySchemaFile.Load(Path.Combine(_dir.Folder, "nope.json")));

        Assert.Equal("nope.json", e.File);
    }
}
