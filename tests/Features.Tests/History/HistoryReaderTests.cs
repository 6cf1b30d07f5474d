using LeadML.Features.History;

namespace LeadML.Features.Tests.History;

public sealed class HistoryReaderTests : IDisposable
{
    private readonly TempHistory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static HistoryFormatException Fails(Action read) => Assert.Throws<HistoryFormatException>(read);

    private static void AssertWhere(HistoryFormatException e, string file, long? line, string? column)
    {
        Assert.Equal(file, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(file, e.Message);
        if (line is not null) Assert.Contains($"line {line}", e.Message);
        if (column is not null) Assert.Contains($"'{column}'", e.Message);
    }

    [Fact]
    public void Read_DefaultFolder_InfersColumnTypesAndNotesThem()
    {
        _dir.Write("leads.csv",
            "lead_id,created_at,converted_at,industry,employees,newsletter,signed_up",
            "a1,2024-01-05,,Software,120,yes,2023-12-01",
            "a2,2024-01-06T10:30:00Z,2024-03-01,Retail,15.5,no,2023-11-20",
            "a3,2024-02-01,,Software,,yes,NA",
            "a4,2024-02-03,,Finance,8,NO,2024-01-30");
        _dir.Write("events.csv",
            "lead_id,timestamp,type,detail",
            "a1,2024-01-06T09:00:00Z,page_view,/pricing",
            "a2,2024-01-07T09:00:00Z,Email_Open,",
            "a1,2024-01-08T09:00:00Z,page_view,/pricing");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal(HistoryKind.Events, h.Kind);
        Assert.Null(h.SchemaPath);
        Assert.Equal(Path.Combine(_dir.Folder, "leads.csv"), h.LeadsPath);
        Assert.Equal(2, h.Files.Count);
        var cols = h.Leads.Columns;
        Assert.Equal(["industry", "employees", "newsletter", "signed_up"], cols.Select(c => c.Name));
        Assert.Equal([ColumnType.Category, ColumnType.Number, ColumnType.Flag, ColumnType.Date], cols.Select(c => c.Type));
        Assert.All(cols, c => Assert.True(c.Inferred));
        Assert.Contains("inferred: industry = category (3 distinct)", h.Report.Notes);
        Assert.Contains("inferred: employees = number", h.Report.Notes);

        var leads = h.Leads.Leads;
        Assert.Equal(4, leads.Count);
        Assert.Equal("a2", leads[1].Id);
        Assert.Equal(new DateTime(2024, 1, 6, 10, 30, 0, DateTimeKind.Utc), leads[1].CreatedAt);
        Assert.Equal(new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc), leads[1].ConvertedAt);
        Assert.Null(leads[0].ConvertedAt);
        Assert.Null(leads[0].Outcome);
        Assert.Equal(2, leads[2].Row);
        Assert.Equal("Software", leads[0].Categories[0]);
        Assert.Equal(15.5, leads[1].Numbers[1]);
        Assert.True(double.IsNaN(leads[2].Numbers[1]));
        Assert.Equal("true", leads[0].Categories[2]);
        Assert.Equal("false", leads[3].Categories[2]);
        Assert.Equal((new DateTime(2023, 12, 1) - new DateTime(1970, 1, 1)).TotalDays, leads[0].Numbers[3]);
        Assert.True(double.IsNaN(leads[2].Numbers[3]));
        Assert.True(double.IsNaN(leads[0].Numbers[0]));
        Assert.Null(leads[0].Categories[1]);

        var events = h.Events!.ReadEvents(new ReadReport()).ToList();
        Assert.Equal(3, events.Count);
        Assert.Equal(new LeadEvent(0, new DateTime(2024, 1, 6, 9, 0, 0, DateTimeKind.Utc), "page_view", "/pricing"), events[0]);
        Assert.Equal("email_open", events[1].Type);
        Assert.Null(events[1].Detail);
        Assert.Same(events[0].Type, events[2].Type);
    }

    [Fact]
    public void Read_LeadsFileWithoutEvents_HasNoEventSource()
    {
        var path = _dir.Write("export.csv", "lead_id,created_at", "x,2024-01-01");

        var h = HistoryReader.Read(path);

        Assert.Null(h.Events);
        Assert.Equal(path, h.LeadsPath);
        Assert.Equal([path], h.Files);
        Assert.Contains(h.Report.Notes, n => n.StartsWith("no events file", StringComparison.Ordinal));
        Assert.Contains(h.Report.Notes, n => n.Contains("no lead converted", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SchemaMapsRenamedColumns()
    {
        _dir.Write("crm/contacts.csv",
            "contact_id;signup;closed_won_at;industry;employees;segment",
            "c1;2024-01-05;;Software;120;Student",
            "c2;2024-01-06;2024-02-01;Retail;15;SMB");
        _dir.Write("crm/activities.csv",
            "contact_id;occurred_at;activity;page",
            "c2;2024-01-07 10:00;Email_Click;spring",
            "c1;2024-01-08 11:00;page_view;/pricing");
        var schema = _dir.Write("crm/leadml.json", """
            {
              // comments and trailing commas are fine
              "leads": { "file": "contacts.csv", "id": "contact_id", "createdAt": "signup", "convertedAt": "closed_won_at", },
              "events": { "file": "activities.csv", "leadId": "contact_id", "timestamp": "occurred_at", "type": "activity", "detail": "page" },
              "columns": { "employees": "category" },
              "ignore": ["industry"],
              "negative": { "segment": ["Student"] },
            }
            """);

        var h = HistoryReader.Read(Path.Combine(_dir.Folder, "crm"));

        Assert.Equal(Path.GetFullPath(schema), h.SchemaPath);
        Assert.Equal(3, h.Files.Count);
        Assert.EndsWith("leadml.json", h.Files[2]);
        Assert.Equal(["employees", "segment"], h.Leads.Columns.Select(c => c.Name));
        var employees = h.Leads.Columns[0];
        Assert.Equal(ColumnType.Category, employees.Type);
        Assert.False(employees.Inferred);
        Assert.Equal(["Student"], h.Leads.Columns[1].NegativeCategories);
        Assert.Equal("120", h.Leads.Leads[0].Categories[0]);
        Assert.Equal(new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc), h.Leads.Leads[1].ConvertedAt);
        var events = h.Events!.ReadEvents(new ReadReport()).ToList();
        Assert.Equal(new LeadEvent(1, new DateTime(2024, 1, 7, 10, 0, 0, DateTimeKind.Utc), "email_click", "spring"), events[0]);
        Assert.Equal(0, events[1].LeadIndex);
    }

    [Fact]
    public void Read_SchemaFileGivenAsPath_ResolvesFilesBesideIt()
    {
        _dir.Write("data/leads.csv", "lead_id,created_at", "x,2024-01-01");
        var schema = _dir.Write("schemas/my.json", """{ "leads": { "file": "../data/leads.csv" } }""");

        var h = HistoryReader.Read(schema);

        Assert.Equal(Path.Combine(_dir.Folder, "data", "leads.csv"), h.LeadsPath);
        Assert.Single(h.Leads.Leads);
    }

    [Fact]
    public void Read_FolderWithSchemaElsewhere_FindsDataFilesInTheFolder()
    {
        _dir.Write("export/contacts.csv", "contact_id,created_at", "c1,2024-01-01");
        var schema = _dir.Write("mappings/crm.json", """{ "leads": { "file": "contacts.csv", "id": "contact_id" } }""");

        var h = HistoryReader.Read(Path.Combine(_dir.Folder, "export"), schema);

        Assert.Equal(Path.Combine(_dir.Folder, "export", "contacts.csv"), h.LeadsPath);
        Assert.Equal(Path.GetFullPath(schema), h.SchemaPath);
        Assert.Equal("c1", h.Leads.Leads[0].Id);
    }

    [Fact]
    public void Read_DuplicateColumnName_IsAnError()
    {
        _dir.Write("leads.csv", "lead_id,created_at,industry,industry", "a,2024-01-01,x,y");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 1, "industry");
        Assert.Contains("columns 3 and 4", e.Message);
    }

    [Fact]
    public void Read_MissingRequiredColumn_ListsColumnsAndSuggestsMapping()
    {
        _dir.Write("leads.csv", "contact_id,created_at", "c1,2024-01-01");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 1, "lead_id");
        Assert.Contains("'contact_id', 'created_at'", e.Message);
        Assert.Contains("\"leads.id\": \"contact_id\"", e.Message);
    }

    [Fact]
    public void Read_MissingFile_NamesIt()
    {
        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        Assert.Equal("leads.csv", e.File);
        Assert.Contains("leads.csv", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Read_EmptyFile_IsAnError()
    {
        _dir.Write("leads.csv");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        Assert.Equal("leads.csv", e.File);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Read_HeaderOnly_IsAnError()
    {
        _dir.Write("leads.csv", "lead_id,created_at");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 1, null);
        Assert.Contains("no rows", e.Message);
    }

    [Fact]
    public void Read_WrongDelimiter_SaysWhichOneIsLikely()
    {
        _dir.Write("leads.csv", "lead_id;created_at", "a;2024-01-01");
        _dir.Write("leadml.json", """{ "leads": { "delimiter": "," } }""");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 1, "lead_id;created_at");
        Assert.Contains("delimiter is probably ';'", e.Message);
        Assert.Contains("leads.delimiter", e.Message);
    }

    [Fact]
    public void Read_DetectsSemicolonAndTabDelimiters()
    {
        _dir.Write("a/leads.csv", "lead_id;created_at;note", "x;2024-01-01;\"a, b\"");
        _dir.Write("b/leads.csv", "lead_id\tcreated_at\tnote", "x\t2024-01-01\ta;b");

        var semi = HistoryReader.Read(Path.Combine(_dir.Folder, "a"));
        var tab = HistoryReader.Read(Path.Combine(_dir.Folder, "b"));

        Assert.Equal("a, b", semi.Leads.Leads[0].Categories[0]);
        Assert.Equal("a;b", tab.Leads.Leads[0].Categories[0]);
    }

    [Fact]
    public void Read_DuplicateLeadId_NamesBothLines()
    {
        _dir.Write("leads.csv", "lead_id,created_at", "a,2024-01-01", "b,2024-01-02", "a,2024-01-03");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 4, "lead_id");
        Assert.Contains("lines 2 and 4", e.Message);
    }

    [Fact]
    public void Read_UnparsableCreatedAt_NamesValue()
    {
        _dir.Write("leads.csv", "lead_id,created_at", "a,2024-01-01", "b,2025-13-01");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 3, "created_at");
        Assert.Contains("'2025-13-01' is not a date", e.Message);
    }

    [Fact]
    public void Read_DateFormatFromSchema_ParsesDayFirstDates()
    {
        _dir.Write("leads.csv", "lead_id,created_at", "a,31/01/2024");
        _dir.Write("leadml.json", """{ "leads": { "dateFormat": "dd/MM/yyyy" } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal(new DateTime(2024, 1, 31, 0, 0, 0, DateTimeKind.Utc), h.Leads.Leads[0].CreatedAt);
        Assert.Equal(DateTimeKind.Utc, h.Leads.Leads[0].CreatedAt.Kind);
    }

    [Fact]
    public void Read_RaggedRow_NamesLineAndFirstMissingColumn()
    {
        _dir.Write("leads.csv", "lead_id,created_at,industry", "a,2024-01-01,Retail", "b,2024-01-02");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 3, "industry");
        Assert.Contains("2 fields but the header has 3", e.Message);
    }

    [Fact]
    public void Read_NumberColumnWithText_NamesColumnAndValue()
    {
        _dir.Write("leads.csv", "lead_id,created_at,employees", "a,2024-01-01,12", "b,2024-01-02,about 50");
        _dir.Write("leadml.json", """{ "columns": { "employees": "number" } }""");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 3, "employees");
        Assert.Contains("'about 50' in number column 'employees' is not a number", e.Message);
    }

    private static string[] EmployeeRows(int numbers, params string[] texts) =>
    [
        "lead_id,created_at,company_size",
        .. Enumerable.Range(0, numbers).Select(i => $"n{i},2024-01-01,{10 + i}"),
        .. texts.Select((t, i) => $"t{i},2024-01-02,{t}"),
    ];

    [Fact]
    public void Read_InferredNumberColumnWithAFewTexts_ReadsThemAsMissingAndReportsThem()
    {
        // 39 numbers and one text: a number column with an invalid value, not 40 categories ("another value" scoring on its own).
        _dir.Write("leads.csv", EmployeeRows(39, "another value"));

        var h = HistoryReader.Read(_dir.Folder);

        var column = Assert.Single(h.Leads.Columns);
        Assert.Equal(ColumnType.Number, column.Type);
        Assert.True(double.IsNaN(h.Leads.Leads[^1].Numbers[0]));
        Assert.Null(h.Leads.Leads[^1].Categories[0]);
        Assert.Equal(48, h.Leads.Leads[38].Numbers[0]);
        Assert.Contains(h.Report.Notes, n => n.Contains("company_size: 1 value(s) not a number, read as missing", StringComparison.Ordinal)
            && n.Contains("leads.csv line 41", StringComparison.Ordinal) && n.Contains("'another value'", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_ColumnOfMostlyTexts_StaysACategory()
    {
        _dir.Write("leads.csv", EmployeeRows(3, "small", "large", "small", "medium"));

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal(ColumnType.Category, Assert.Single(h.Leads.Columns).Type);
        Assert.Equal("small", h.Leads.Leads[3].Categories[0]);
    }

    [Fact]
    public void Read_SetNumberColumnWithAFewTexts_ReadsThemAsMissingAndReportsThem()
    {
        _dir.Write("leads.csv", EmployeeRows(30, "unknown"));
        _dir.Write("leadml.json", """{ "columns": { "company_size": "number" } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal(ColumnType.Number, Assert.Single(h.Leads.Columns).Type);
        Assert.True(double.IsNaN(h.Leads.Leads[^1].Numbers[0]));
        Assert.Contains(h.Report.Notes, n => n.StartsWith("company_size: 1 value(s) not a number", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SingleTableOutcomeNotBinary_IsAnError()
    {
        _dir.Write("leads.csv", "stage,size", "won,1", "lost,2", "open,3", "won,4");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "stage", "positive": ["won"] } }""");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 3, "stage");
        Assert.Contains("'lost'", e.Message);
    }

    [Fact]
    public void Read_SingleTableTwoValueOutcome_UsesPositiveList()
    {
        _dir.Write("leads.csv", "stage,size", "won,1", "lost,2", "Won,3");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "stage", "positive": ["won"] } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal([true, false, true], h.Leads.Leads.Select(l => l.Outcome!.Value));
        Assert.Equal(["1", "2", "3"], h.Leads.Leads.Select(l => l.Id));
        Assert.Equal(["size"], h.Leads.Columns.Select(c => c.Name));
        Assert.Null(h.Events);
    }

    [Fact]
    public void Read_SingleTableOutcomeWithNegativeForms_AcceptsThem()
    {
        _dir.Write("leads.csv", "y,x", "yes,1", "no,2", "0,3", "yes,4");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y", "positive": ["yes"] } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal(2, h.Leads.Leads.Count(l => l.Outcome == true));
    }

    [Fact]
    public void Read_SingleTableFileOrder_SynthesisesOneDayPerRow()
    {
        _dir.Write("leads.csv", "y,x", "1,a", "0,b", "0,c");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal(
            [HistoryReader.SyntheticStart, HistoryReader.SyntheticStart.AddDays(1), HistoryReader.SyntheticStart.AddDays(2)],
            h.Leads.Leads.Select(l => l.CreatedAt));
        Assert.Equal([0, 1, 2], h.Leads.Leads.Select(l => l.Row));
    }

    [Fact]
    public void Read_MonthNameOrder_AdvancesYearWhenMonthWraps()
    {
        _dir.Write("leads.csv", "month,y", "may,no", "MAY,yes", "dec,no", "March,no", "nov,yes", "jan,no");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" }, "order": { "column": "month", "format": "monthName" } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal(["2000-05", "2000-05", "2000-12", "2001-03", "2001-11", "2002-01"],
            h.Leads.Leads.Select(l => l.CreatedAt.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Empty(h.Leads.Columns);
    }

    [Fact]
    public void Read_MonthNameOneYear_KeepsEveryRowInYear2000()
    {
        _dir.Write("leads.csv", "Month,y", "Nov,no", "Feb,yes", "June,no");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" }, "order": { "column": "Month", "format": "monthName", "oneYear": true } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal([11, 2, 6], h.Leads.Leads.Select(l => l.CreatedAt.Month));
        Assert.All(h.Leads.Leads, l => Assert.Equal(2000, l.CreatedAt.Year));
    }

    [Fact]
    public void Read_NumberOrder_PutsRowsInTheOrderOfTheNumbers_AndKnowsOnlyTheOrder()
    {
        // An id given in creation order, exported in another order.
        _dir.Write("leads.csv", "ticket,y,x", "1030,1,a", "17,0,b", "512,0,c", "512,1,d");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" }, "order": { "column": "ticket", "format": "number" } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal(["b", "c", "d", "a"], h.Leads.Leads.OrderBy(l => l.CreatedAt).ThenBy(l => l.Row).Select(l => l.Categories[0]));
        Assert.Equal(h.Leads.Leads[2].CreatedAt, h.Leads.Leads[3].CreatedAt);
        Assert.Equal(HistoryTime.RowOrder, h.Report.Time);
        Assert.Contains(h.Report.Notes, n => n.Contains("only their order is known", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_NumberOrderDescending_PutsTheLargestFirst()
    {
        _dir.Write("leads.csv", "days_ago,y", "3,1", "90,0", "12,0");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" }, "order": { "column": "days_ago", "format": "number", "descending": true } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal([1, 2, 0], h.Leads.Leads.OrderBy(l => l.CreatedAt).Select(l => l.Row));
    }

    [Fact]
    public void Read_NumberOrder_ANonNumber_NamesLineAndColumn()
    {
        _dir.Write("leads.csv", "ticket,y", "12,0", "n/a,1");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" }, "order": { "column": "ticket", "format": "number" } }""");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 3, "ticket");
        Assert.Contains("'n/a' is not a number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileOrderDescending_MakesTheLastRowTheOldest()
    {
        _dir.Write("leads.csv", "y,x", "1,a", "0,b", "0,c");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" }, "order": { "descending": true } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal([2, 1, 0], h.Leads.Leads.OrderBy(l => l.CreatedAt).Select(l => l.Row));
        Assert.Equal(HistoryTime.RowOrder, h.Report.Time);
    }

    [Fact]
    public void Read_MonthNamesNewestFirst_CountYearsBackwards()
    {
        // Newest first: jan (year 3), nov, march (year 2), dec, may, may (year 1).
        _dir.Write("leads.csv", "month,y", "jan,no", "nov,yes", "March,no", "dec,no", "MAY,yes", "may,no");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" }, "order": { "column": "month", "format": "monthName", "descending": true } }""");

        var h = HistoryReader.Read(_dir.Folder);

        Assert.Equal(["2002-01", "2001-11", "2001-03", "2000-12", "2000-05", "2000-05"],
            h.Leads.Leads.Select(l => l.CreatedAt.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HistoryTime.MonthNames, h.Report.Time);
    }

    [Fact]
    public void Read_BadMonthName_NamesLineAndColumn()
    {
        _dir.Write("leads.csv", "month,y", "may,no", "q3,yes");
        _dir.Write("leadml.json", """{ "kind": "singleTable", "outcome": { "column": "y" }, "order": { "column": "month", "format": "monthName" } }""");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        AssertWhere(e, "leads.csv", 3, "month");
    }

    [Fact]
    public void Read_OutcomeFromFile_JoinsByKeyAndTakesConversionTime()
    {
        _dir.Write("mql.csv", "mql_id,first_contact_date,origin", "m1,2018-01-02,social", "m2,2018-01-01,email", "m3,2018-01-05,");
        _dir.Write("deals.csv", "mql_id,won_date,seller_id", "m2,2018-03-04 10:11:12,s9", "zz,2018-03-05 00:00:00,s8");
        _dir.Write("leadml.json", """
            {
              "kind": "singleTable",
              "leads": { "file": "mql.csv", "id": "mql_id" },
              "outcome": { "fromFile": { "file": "deals.csv", "key": "mql_id", "convertedAt": "won_date" } },
              "order": { "column": "first_contact_date" },
            }
            """);

        var h = HistoryReader.Read(_dir.Folder);

        var leads = h.Leads.Leads;
        Assert.Equal([false, true, false], leads.Select(l => l.Outcome!.Value));
        Assert.Equal(new DateTime(2018, 3, 4, 10, 11, 12, DateTimeKind.Utc), leads[1].ConvertedAt);
        Assert.Equal(new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc), leads[1].CreatedAt);
        Assert.Equal(["origin"], h.Leads.Columns.Select(c => c.Name));
        Assert.EndsWith("deals.csv", h.Files[^1]);
        var skip = Assert.Single(h.Report.Skips);
        Assert.Equal(1, skip.Value.Count);
        Assert.Contains("line 3", skip.Value.Examples[0]);
    }

    [Fact]
    public void Read_SingleTableWithoutOutcome_IsASchemaError()
    {
        _dir.Write("leads.csv", "y,x", "1,2");
        _dir.Write("leadml.json", """{ "kind": "singleTable" }""");

        var e = Fails(() => HistoryReader.Read(_dir.Folder));

        Assert.Equal("leadml.json", e.File);
        Assert.Contains("$.outcome", e.Message);
    }

    [Fact]
    public void Infer_FollowsTheDocumentedOrder()
    {
        Assert.Equal(ColumnType.Flag, HistoryReader.Infer(["1", "0"]));
        Assert.Equal(ColumnType.Flag, HistoryReader.Infer(["TRUE", "FALSE"]));
        Assert.Equal(ColumnType.Number, HistoryReader.Infer(["1", "0", "2"]));
        Assert.Equal(ColumnType.Number, HistoryReader.Infer(["7.5E-05", "-3"]));
        Assert.Equal(ColumnType.Date, HistoryReader.Infer(["2024-01-01", "2024-02-03T10:00:00Z"]));
        Assert.Equal(ColumnType.Category, HistoryReader.Infer(["yes", "no", "maybe"]));
        Assert.Equal(ColumnType.Category, HistoryReader.Infer(["Jan 5", "Feb 6"]));
        Assert.Equal(ColumnType.Category, HistoryReader.Infer([]));
    }

    [Theory]
    [InlineData("jan", 1)]
    [InlineData("June", 6)]
    [InlineData("sept", 9)]
    [InlineData("DECEMBER", 12)]
    [InlineData("ju", 0)]
    [InlineData("foo", 0)]
    public void ParseMonth_AcceptsNamesAndAbbreviations(string text, int month) =>
        Assert.Equal(month, HistoryReader.ParseMonth(text));
}
