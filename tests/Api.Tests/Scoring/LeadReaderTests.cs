using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;

namespace LeadML.Api.Tests.Scoring;

/// <summary>The one lead reader: a lead in a batch against the same lead read alone (the body of <c>POST /score</c>) and
/// against what the serializer makes of the documented contract, and its errors.</summary>
public sealed class LeadReaderTests
{
    private static readonly DateTime Now = new(2025, 12, 2, 9, 30, 0, DateTimeKind.Utc);

    /// <summary>The contract as the Api's serializer reads it: a property it lacks is refused.</summary>
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerOptions.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, Converters = { new StrictDateConverter() },
    };

    private static BatchRead Read(string json, int limit = 100) => LeadReader.ReadBatch(Encoding.UTF8.GetBytes(json), limit, Now);

    /// <summary>A lead as the scorer sees it, as text to compare (attributes and events in order), or its error.</summary>
    private static string Text(LeadInput? l, BatchError? error = null) => l is null
        ? $"error {error?.Path}: {error?.Message}"
        : $"{l.LeadId ?? "<none>"} | {l.CreatedAt:O} {l.CreatedAt.Kind} | {l.AsOf:O} {l.AsOf.Kind} | "
          + string.Join(", ", l.Attributes.Select(a => $"{a.Key}={a.Value ?? "<null>"}")) + " | "
          + string.Join(", ", l.Events.Select(e => $"{e.Timestamp:O} {e.Timestamp.Kind} {e.Type} {e.Detail ?? "<none>"}"));

    /// <summary>What the serializer makes of a lead that is item <paramref name="index"/> of a batch, with the checks a
    /// lead gets (the contract's meaning, written out independently of the reader).</summary>
    private static string Alone(string lead, int index)
    {
        var path = $"$.leads[{index}]";
        ScoreRequest r;
        try
        {
            r = JsonSerializer.Deserialize<ScoreRequest>(lead, Strict)!;
        }
        catch (JsonException e) when (UnknownProperty.Find(Strict, typeof(ScoreRequest), e.Path!) is { } unknown)
        {
            return Text(null, new BatchError(path + e.Path![1..], UnknownProperty.Message(unknown.Name, unknown.Known)));
        }
        catch (JsonException e) when (e.Path is not null)
        {
            return Text(null, new BatchError(path + e.Path[1..], e.Message));
        }
        var attributes = r.Attributes ?? [];
        var asOf = r.AsOf?.UtcDateTime ?? Now;
        var createdAt = r.CreatedAt?.UtcDateTime ?? asOf;
        var input = new LeadInput { LeadId = r.LeadId, Attributes = attributes, CreatedAt = createdAt, AsOf = asOf };
        if (LeadReader.Problem(input) is { } p) return Text(null, new BatchError(path + p.Field, p.Message));
        var events = new List<LeadEventInput>();
        for (var i = 0; i < (r.Events?.Count ?? 0); i++)
        {
            var e = r.Events![i];
            if (e is null) return Text(null, new BatchError($"{path}.events[{i}]", "must be an object"));
            if (string.IsNullOrWhiteSpace(e.Type)) return Text(null, new BatchError($"{path}.events[{i}].type", "is required"));
            if (e.Timestamp is null) return Text(null, new BatchError($"{path}.events[{i}].timestamp", "is required"));
            events.Add(LeadEventInput.Sent(e.Timestamp.Value.UtcDateTime, e.Type, e.Detail));
        }
        return Text(input with { Events = events });
    }

    private static string Text(LeadRead l) => Text(l.Lead, l.Problem);

    /// <summary>The same lead read alone, as the body of <c>POST /score</c>, its problem's path as in a batch.</summary>
    private static string ReadAlone(string lead, int index)
    {
        var read = LeadReader.ReadLead(Encoding.UTF8.GetBytes(lead), Now);
        return Text(read.Lead, read.Problem is { } p ? p with { Path = $"$.leads[{index}]{p.Path[1..]}" } : null);
    }

    [Theory]
    [InlineData("""{"leadId":"L1","model":"sample","attributes":{"industry":"Software","company_size":250,"big":1.5e3,"ok":true,"no":false,"gone":null},"events":[{"type":"page_view","detail":"/pricing","timestamp":"2025-11-20T10:00:00Z"},{"type":" email_open ","timestamp":"2025-11-21T08:00:00+02:00","detail":null}],"createdAt":"2025-09-01T00:00:00Z","asOf":"2025-12-01T00:00:00.1234567Z"}""")]
    [InlineData("""{"LEADID":"L2","Attributes":{"Industry":"Soft\u0077are","city":"Zürich","emoji":"\uD83D\uDE00","quote":"a\"b"},"EVENTS":[{"TYPE":"webinar","Timestamp":"2025-11-20T00:00:00Z"}]}""")]
    [InlineData("""{"unknown":{"deep":[1,{"x":[]}]},"leadId":null,"attributes":null,"events":null,"createdAt":null,"asOf":null}""")]
    [InlineData("""{"attributes":{"a":"first","b":"x","a":"second"},"leadId":"first","leadId":"second","events":[{"type":"x","timestamp":"2025-11-20T10:00:00Z"}],"events":[{"type":"y","detail":"  ","timestamp":"2025-11-20T10:00:00Z"}]}""")]
    [InlineData("""{"attributes":{"long":"0123456789012345678901234567890123456789012345678901234567890123456789","l\u0065ad":"escaped name"},"events":[]}""")]
    [InlineData("""{"le\u0061dId":"escaped property name","lead\u0131d":"dotless i"}""")]
    [InlineData("""{"attributes":{"a0":1,"a1":1,"a2":1,"a3":1,"a4":1,"a5":1,"a6":1,"a7":1,"a8":1,"a9":1,"a10":1,"a11":1,"a12":1,"a13":1,"a14":1,"a15":1,"a16":1,"a17":1,"a3":"again","a16":"again too","a18":null}}""")]
    [InlineData("""{"createdAt":"2025-11-01T00:00:00Z","events":[{"type":"later","timestamp":"2026-01-01T00:00:00Z"}]}""")]
    [InlineData("{}")]
    [InlineData("""{"events":[{"type":"webinar","timestamp":"2025-11-20"}]}""")]
    [InlineData("""{"events":[{"type":"webinar","timestamp":"2025-11-20T10:00:00"}],"createdAt":"1899-01-01T00:00:00Z"}""")]
    [InlineData("""{"asOf":"2025-11-20T10:00:00","createdAt":"1850-01-01T00:00:00Z"}""")]
    // What the checks of one lead refuse, in the same order.
    [InlineData("""{"attributes":{"a":"first","list":[1,2],"object":{"x":1}},"events":[null,{"type":"x"}]}""")]
    [InlineData("""{"attributes":{"list":[1,2],"list":"fixed"},"events":[{"type":"x","timestamp":"2025-11-20T10:00:00Z"},{"type":" "}]}""")]
    [InlineData("""{"attributes":{"sent":"\u0000invalid"}}""")]
    [InlineData("""{"events":[{"timestamp":"2025-11-20T10:00:00Z"},{"type":"x"}],"createdAt":"2025-12-01T00:00:00Z","asOf":"2025-11-01T00:00:00Z"}""")]
    [InlineData("""{"createdAt":"2025-12-31T00:00:00Z"}""")]
    [InlineData("""{"events":[{"type":"x","timestamp":"2025-11-20T10:00:00Z"},{"type":"y"}]}""")]
    [InlineData("""{"events":[{"type":"x","timestamp":"2025-11-20T10:00:00Z"},null]}""")]
    public void Read_ALead_IsWhatPostScoreMakesOfIt(string lead)
    {
        var batch = Read($$"""{"model":"m","leads":[{{lead}},{{lead}}]}""");
        Assert.Equal("m", batch.Model);
        Assert.Equal(2, batch.Leads.Length);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(Alone(lead, i), Text(batch.Leads[i]));
            Assert.Equal(ReadAlone(lead, i), Text(batch.Leads[i]));
            Assert.Equal(JsonSerializer.Deserialize<ScoreRequest>(lead, JsonSerializerOptions.Web)!.Model, batch.Leads[i].Model);
        }
    }

    [Fact]
    public void Read_ThousandsOfDistinctAndRepeatedTexts_AreEachReadAsWritten()
    {
        // More distinct texts than the batch shares, of every length up to beyond the shared ones, many alike.
        var leads = Enumerable.Range(0, 6000).Select(i => $$"""{"leadId":"L{{i}}","attributes":{"industry":"{{new string('x', i % 70)}}{{i % 4500}}","size":{{i % 300}},"c{{i % 9}}":"v"},"events":[{"type":"t{{i % 5000}}","detail":"/p/{{i}}","timestamp":"2025-11-20T10:00:00Z"}]}""").ToList();
        var batch = Read($$"""{"leads":[{{string.Join(",", leads)}}]}""", limit: 10_000);
        for (var i = 0; i < leads.Count; i++)
        {
            Assert.Equal(Alone(leads[i], i), Text(batch.Leads[i]));
        }
    }

    [Fact]
    public void Read_TheBatchAsTheSerializerReadsIt_WhateverTheOrderAndCase()
    {
        const string json = """{"LEADS":[{"leadId":"a"},null,{"leadId":"c","model":"own"}],"Model":"other"}""";
        var expected = JsonSerializer.Deserialize<BatchScoreRequest>(json, Strict)!;
        var batch = Read(json);
        Assert.Equal(expected.Model, batch.Model);
        Assert.Equal(["a", null, "c"], batch.Leads.Select(l => l.Lead?.LeadId));
        Assert.Equal([null, null, "own"], batch.Leads.Select(l => l.Model));
        Assert.Equal(new BatchError("$.leads[1]", "must be an object"), batch.Leads[1].Problem);
    }

    [Theory]
    [InlineData("""{"x":[{"leads":1}],"leads":[{"leadId":"a"}]}""", "$.x")]
    [InlineData("""{"leads":[{"leadId":"a"}],"modle":"other"}""", "$.modle")]
    [InlineData("""{"leads":[{"leadId":"a"}],"a b":1}""", "$['a b']")]
    public void Read_APropertyTheBatchLacks_RefusesTheRequestAtItsPath(string json, string path)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<BatchScoreRequest>(json, Strict));
        var batch = Read(json);
        Assert.Empty(batch.Leads);
        Assert.Equal(path, batch.Problem?.Path);
        Assert.StartsWith("is not a known property", batch.Problem?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"leadId":5}""", "$.leads[1].leadId", "must be a string")]
    [InlineData("""{"model":{}}""", "$.leads[1].model", "must be a string")]
    [InlineData("""{"asOf":"yesterday"}""", "$.leads[1].asOf", "must be an ISO 8601 date and time")]
    [InlineData("""{"createdAt":20251201}""", "$.leads[1].createdAt", "must be an ISO 8601 date and time")]
    [InlineData("""{"attributes":"industry=Software"}""", "$.leads[1].attributes", "must be an object")]
    [InlineData("""{"events":{"type":"page_view"}}""", "$.leads[1].events", "must be an array")]
    [InlineData("""{"events":[{"type":"page_view","timestamp":"2025-11-20T10:00:00Z"},{"type":"page_view","timestamp":"2025-13-01T00:00:00Z"}]}""", "$.leads[1].events[1].timestamp", "must be an ISO 8601 date and time")]
    [InlineData("""{"events":[{"type":["page_view"],"timestamp":"2025-11-20T10:00:00Z"}]}""", "$.leads[1].events[0].type", "must be a string")]
    [InlineData("""{"events":[{"type":"page_view","detail":7,"timestamp":"2025-11-20T10:00:00Z"}]}""", "$.leads[1].events[0].detail", "must be a string")]
    [InlineData("""{"events":["page_view"]}""", "$.leads[1].events[0]", "must be an object")]
    [InlineData("\"L1\"", "$.leads[1]", "must be an object")]
    [InlineData("[]", "$.leads[1]", "must be an object")]
    [InlineData("""{"asOf":"yesterday","leadId":5}""", "$.leads[1].asOf", "must be an ISO 8601 date and time")]
    public void Read_AFieldOfTheWrongType_FailsOnlyThatLead_NamingItsPath(string bad, string path, string message)
    {
        var batch = Read($$"""{"leads":[{"leadId":"a"},{{bad}},{"leadId":"c","events":[{"type":"x","timestamp":"2025-11-20T10:00:00Z"}]}]}""");
        Assert.Equal(3, batch.Leads.Length);
        Assert.Equal("a", batch.Leads[0].Lead!.LeadId);
        Assert.Null(batch.Leads[1].Lead);
        Assert.Equal(path, batch.Leads[1].Problem!.Path);
        Assert.StartsWith(message, batch.Leads[1].Problem!.Message, StringComparison.Ordinal);
        Assert.Equal("c", batch.Leads[2].Lead!.LeadId);
        Assert.Single(batch.Leads[2].Lead!.Events);
    }

    [Theory]
    [InlineData("""{"leads":[{"leadId":"a"},{"leadId":}]}""", "$.leads[1]")]
    [InlineData("""{"leads":[{"leadId":"a"}]""", "$")]
    [InlineData("""{"leads":[]} trailing""", "$")]
    [InlineData("""{"leads":[{"leadId":"a",}]}""", "$.leads[0]")]
    public void Read_MalformedJson_FailsTheRequest_AsTheSerializerDoes(string json, string path)
    {
        var e = Assert.Throws<JsonException>(() => Read(json));
        Assert.Equal(path, e.Path);
        Assert.Contains($" Path: {path} ", e.Message, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<BatchScoreRequest>(json, JsonSerializerOptions.Web));
    }

    [Fact]
    public void Read_InvalidUtf8_IsTheRequestsProblem_WithTheByteOffset()
    {
        byte[] json = [.. """{"leads":[{"leadId":"""u8, (byte)'"', 0xC3, 0x28, (byte)'"', .. "}]}"u8];

        var batch = LeadReader.ReadBatch(json, 10, Now).Problem!;
        var lead = LeadReader.ReadLead(json[10..^2], Now).Problem!;

        Assert.Equal("$", batch.Path);
        Assert.Equal("the body is not valid UTF-8: the byte at offset 21 (0xC3) starts no valid character; send the body encoded as UTF-8", batch.Message);
        Assert.Equal("$", lead.Path);
        Assert.Contains("at offset 11 (0xC3)", lead.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"leadId":5}""", "$.leadId", "must be a string")]
    [InlineData("""{"asOf":"yesterday"}""", "$.asOf", "must be an ISO 8601 date and time")]
    [InlineData("""{"attributes":{"industry":[1,2]}}""", "$.attributes.industry", "must be a string, number, boolean or null")]
    [InlineData("""{"createdAt":"2025-12-02T00:00:00Z","asOf":"2025-12-01T00:00:00Z"}""", "$.createdAt", "is after asOf")]
    [InlineData("""{"events":[{"type":"x"}]}""", "$.events[0].timestamp", "is required")]
    [InlineData("[]", "$", "must be an object")]
    public void ReadLead_AnUnusableField_IsTheLeadsProblem_NamingItsPath(string json, string path, string message)
    {
        var read = LeadReader.ReadLead(Encoding.UTF8.GetBytes(json), Now);
        Assert.Null(read.Lead);
        Assert.Equal(path, read.Problem!.Path);
        Assert.StartsWith(message, read.Problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"leadId":"a"} {}""")]
    [InlineData("""{"leadId":"a",}""")]
    public void ReadLead_MalformedJson_IsUnreadable_AsTheSerializerSaysSo(string json)
    {
        var e = Assert.Throws<JsonException>(() => LeadReader.ReadLead(Encoding.UTF8.GetBytes(json), Now));
        Assert.Equal("$", e.Path);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ScoreRequest>(json, JsonSerializerOptions.Web));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t ")]
    public void Read_NoBody_IsTheRequestsProblem_SaidAsNoBody_NotMalformedJson(string json)
    {
        var lead = LeadReader.ReadLead(Encoding.UTF8.GetBytes(json), Now);
        Assert.Null(lead.Lead);
        Assert.Equal("$", lead.Problem!.Path);
        Assert.StartsWith("the body is empty or null", lead.Problem.Message, StringComparison.Ordinal);
        var batch = Read(json);
        Assert.Empty(batch.Leads);
        Assert.Equal("$", batch.Problem!.Path);
        Assert.StartsWith("the body is empty or null", batch.Problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "is required")]
    [InlineData("""{"leads":null}""", "is required")]
    [InlineData("""{"leads":{}}""", "must be an array of leads")]
    [InlineData("""{"leads":[{},{},{}]}""", "holds 3 leads; the limit is 2 per batch")]
    [InlineData("""{"leads":[{},{},{"x":[1,2]}]}""", "holds 3 leads; the limit is 2 per batch")]
    public void Read_NoLeadsOrTooMany_FailsTheRequest(string json, string message)
    {
        var batch = Read(json, limit: 2);
        Assert.Empty(batch.Leads);
        Assert.Equal(new BatchError("$.leads", message), batch.Problem);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"model":5,"leads":[]}""")]
    public void Read_ABodyOfTheWrongShape_FailsTheRequest(string json)
    {
        var batch = Read(json);
        Assert.Empty(batch.Leads);
        Assert.StartsWith("$", batch.Problem!.Path, StringComparison.Ordinal);
    }
}
