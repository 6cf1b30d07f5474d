using System.Text;
using System.Text.Json;
using LeadML.Api.Scoring;

namespace LeadML.Api.Tests.Scoring;

/// <summary>The batch body reader against what the serializer reads for <c>POST /score</c>, and its errors.</summary>
public sealed class BatchReaderTests
{
    private static BatchBody Read(string json, int limit = 100) => BatchReader.Read(Encoding.UTF8.GetBytes(json), limit);

    /// <summary>The request as JSON, to compare values read by both readers (attributes, events and all).</summary>
    private static string Text(ScoreRequest? r) => JsonSerializer.Serialize(r, ScoringJson.Default.ScoreRequest);

    [Theory]
    [InlineData("""{"leadId":"L1","model":"sample","attributes":{"industry":"Software","company_size":250,"big":1.5e3,"ok":true,"no":false,"gone":null},"events":[{"type":"page_view","detail":"/pricing","timestamp":"2025-11-20T10:00:00Z"},{"type":" email_open ","timestamp":"2025-11-21T08:00:00+02:00","detail":null}],"createdAt":"2025-09-01T00:00:00Z","asOf":"2025-12-01T00:00:00.1234567Z"}""")]
    [InlineData("""{"LEADID":"L2","Attributes":{"Industry":"Soft\u0077are","city":"Zürich","emoji":"\uD83D\uDE00","quote":"a\"b"},"EVENTS":[{"TYPE":"webinar","Timestamp":"2025-11-20"}]}""")]
    [InlineData("""{"unknown":{"deep":[1,{"x":[]}]},"leadId":null,"attributes":null,"events":null,"createdAt":null,"asOf":null}""")]
    [InlineData("""{"attributes":{"a":"first","a":"second","list":[1,2],"object":{"x":1}},"leadId":"first","leadId":"second","events":[null,{"type":"x"}]}""")]
    [InlineData("""{"attributes":{"long":"0123456789012345678901234567890123456789012345678901234567890123456789","l\u0065ad":"escaped name"},"events":[]}""")]
    [InlineData("""{"le\u0061dId":"escaped property name","lead\u0131d":"dotless i"}""")]
    [InlineData("{}")]
    public void Read_ALead_IsWhatTheSerializerReads(string lead)
    {
        var expected = JsonSerializer.Deserialize(lead, ScoringJson.Default.ScoreRequest);
        var batch = Read($$"""{"model":"m","leads":[{{lead}},{{lead}}]}""");
        Assert.Equal("m", batch.Model);
        Assert.Equal(2, batch.Leads.Count);
        foreach (var item in batch.Leads)
        {
            Assert.Null(item.Error);
            Assert.Equal(Text(expected), Text(item.Request));
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
            Assert.Equal(Text(JsonSerializer.Deserialize(leads[i], ScoringJson.Default.ScoreRequest)), Text(batch.Leads[i].Request));
        }
    }

    [Fact]
    public void Read_TheBatchAsTheSerializerReadsIt_WhateverTheOrderAndCase()
    {
        const string json = """{"x":[{"leads":1}],"LEADS":[{"leadId":"a"},null,{"leadId":"c"}],"Model":"other"}""";
        var expected = JsonSerializer.Deserialize(json, ScoringJson.Default.BatchScoreRequest)!;
        var batch = Read(json);
        Assert.Equal(expected.Model, batch.Model);
        Assert.Equal(expected.Leads!.Select(Text), batch.Leads.Select(l => Text(l.Request)));
        Assert.Equal(default, batch.Leads[1]);
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
        Assert.Equal(3, batch.Leads.Count);
        Assert.Equal("a", batch.Leads[0].Request!.LeadId);
        Assert.Null(batch.Leads[1].Request);
        Assert.Equal(path, batch.Leads[1].Error!.Path);
        Assert.StartsWith(message, batch.Leads[1].Error!.Message, StringComparison.Ordinal);
        Assert.Equal("c", batch.Leads[2].Request!.LeadId);
        Assert.Single(batch.Leads[2].Request!.Events!);
    }

    [Theory]
    [InlineData("""{"leads":[{"leadId":"a"},{"leadId":}]}""", "$.leads[1]")]
    [InlineData("""{"leads":[{"leadId":"a"}]""", "$")]
    [InlineData("""{"leads":[]} trailing""", "$")]
    [InlineData("", "$")]
    [InlineData("""{"leads":[{"leadId":"a",}]}""", "$.leads[0]")]
    public void Read_MalformedJson_FailsTheRequest_AsTheSerializerDoes(string json, string path)
    {
        var e = Assert.Throws<JsonException>(() => Read(json));
        Assert.Equal(path, e.Path);
        Assert.Contains($" Path: {path} ", e.Message, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ScoringJson.Default.BatchScoreRequest));
    }

    [Fact]
    public void Read_InvalidUtf8_IsUnreadableJson()
    {
        byte[] json = [.. """{"leads":[{"leadId":"""u8, (byte)'"', 0xC3, 0x28, (byte)'"', .. "}]}"u8];
        Assert.Throws<JsonException>(() => BatchReader.Read(json, 10));
    }

    [Theory]
    [InlineData("{}", "is required")]
    [InlineData("""{"leads":null}""", "is required")]
    [InlineData("""{"leads":{}}""", "must be an array of leads")]
    [InlineData("""{"leads":[{},{},{}]}""", "holds 3 leads; the limit is 2 per batch")]
    [InlineData("""{"leads":[{},{},{"x":[1,2]}]}""", "holds 3 leads; the limit is 2 per batch")]
    public void Read_NoLeadsOrTooMany_FailsTheRequest(string json, string message)
    {
        var e = Assert.Throws<RequestValidationException>(() => Read(json, limit: 2));
        Assert.Equal("$.leads", e.Path);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"model":5,"leads":[]}""")]
    public void Read_ABodyOfTheWrongShape_FailsTheRequest(string json)
    {
        var e = Assert.Throws<RequestValidationException>(() => Read(json));
        Assert.StartsWith("$", e.Path, StringComparison.Ordinal);
    }
}
