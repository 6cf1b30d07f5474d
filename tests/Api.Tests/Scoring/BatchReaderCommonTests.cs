using System.Text;
using LeadML.Api.Scoring;
using LeadML.Features.Randomness;

namespace LeadML.Api.Tests.Scoring;

/// <summary>
/// The batch reader's fast path for the common form of a batch against the checked reader (the JSON reader, every
/// check): whatever the fast path accepts must be valid JSON read into the very same values, and it must accept the
/// common form however it is written. Bodies are generated, then cut and altered byte by byte.
/// </summary>
public sealed class BatchReaderCommonTests
{
    private static readonly DateTime Now = new(2025, 12, 2, 9, 30, 0, DateTimeKind.Utc);

    /// <summary>A batch as text to compare: its model, and each lead (attributes and events in order) or its error.</summary>
    private static string Text(BatchBody body) => $"model {body.Model ?? "<none>"}\n" + string.Join("\n", body.Leads.Select(l => l.Lead is not { } lead
        ? $"error {l.Error?.Path}: {l.Error?.Message}"
        : $"{l.Model ?? "<none>"} | {lead.LeadId ?? "<none>"} | {lead.CreatedAt:O} {lead.CreatedAt.Kind} | {lead.AsOf:O} {lead.AsOf.Kind} | "
          + string.Join(", ", lead.Attributes.Select(a => $"{a.Key}={a.Value ?? "<null>"}")) + " | "
          + string.Join(", ", lead.Events.Select(e => $"{e.Timestamp:O} {e.Timestamp.Kind} {e.Type} {e.Detail ?? "<none>"}"))));

    /// <summary>What the checked reader makes of a body, or the kind of error it fails with.</summary>
    private static string Checked(byte[] json, int limit)
    {
        try
        {
            return Text(BatchReader.ReadChecked(json, limit, Now));
        }
        catch (Exception e)
        {
            return $"fails: {e.GetType().Name}";
        }
    }

    /// <summary>Asserts that the fast path either declines or reads what the checked reader reads; returns whether it
    /// accepted.</summary>
    private static bool Agrees(byte[] json, int limit = 100)
    {
        if (!BatchReader.TryReadCommon(json, limit, Now, out var fast)) return false;
        var expected = Checked(json, limit);
        Assert.True(expected == Text(fast), $"The fast path read {Encoding.UTF8.GetString(json)}\nas\n{Text(fast)}\nbut the checked reader gives\n{expected}");
        return true;
    }

    private static readonly string[] Spaces = ["", " ", "\n", "\r\n  ", "\t"];

    /// <summary>A random batch in the common form: known fields in any order, attributes of every JSON type a lead
    /// may send (texts with characters beyond ASCII too), events with and without detail, white space anywhere JSON
    /// allows it.</summary>
    private static string Batch(Xoshiro256 random, int leads)
    {
        string S() => Spaces[random.NextInt(Spaces.Length)];
        string Pick(params string[] options) => options[random.NextInt(options.Length)];
        string Date() => $"\"2025-{1 + random.NextInt(11):00}-{1 + random.NextInt(28):00}T{random.NextInt(24):00}:{random.NextInt(60):00}:{random.NextInt(60):00}{Pick("", ".5", ".123", ".1234567")}Z\"";
        string Property(string name, string value) => $"{S()}\"{name}\"{S()}:{S()}{value}{S()}";
        string Object(IEnumerable<string> properties) => $"{{{string.Join(",", properties)}}}";
        string Value() => Pick("\"Software\"", "\"Zürich\"", "\"\"", "\" padded \"", "\"日本\"", "\"a/b~\u007f\"", "0", "-1", "12.5", "1e3", "-0.25E-2", "true", "false", "null",
            $"\"{new string('x', random.NextInt(90))}\"", $"{random.NextInt(100_000)}");
        string Event()
        {
            var fields = new List<string> { Property("type", Pick("\"page_view\"", "\"email_open\"", "\" webinar \"", "\"formulário\"")), Property("timestamp", Date()) };
            if (random.NextBool(0.6)) fields.Add(Property("detail", Pick("\"/pricing\"", "\"newsletter\"", "\"  \"", "null", "\"/p/é\"")));
            return S() + Object(fields.OrderBy(_ => random.NextUInt64())) + S();
        }
        string Lead()
        {
            var fields = new List<string>();
            if (random.NextBool(0.5)) fields.Add(Property("leadId", Pick("\"L-1\"", "null", "\"Ünïcode\"", $"\"L{random.NextInt(1000)}\"")));
            if (random.NextBool(0.2)) fields.Add(Property("model", Pick("\"sample\"", "null", "\"other\"")));
            if (random.NextBool(0.9))
            {
                var names = new[] { "industry", "company_size", "country", "job_title", "budget_known", "ville_é" }.Where(_ => random.NextBool(0.8));
                fields.Add(Property("attributes", random.NextBool(0.05) ? "null" : Object(names.Select(n => Property(n, Value())))));
            }
            if (random.NextBool(0.9)) fields.Add(Property("events", random.NextBool(0.05) ? "null" : $"[{string.Join(",", Enumerable.Range(0, random.NextInt(6)).Select(_ => Event()))}{S()}]"));
            if (random.NextBool(0.5)) fields.Add(Property("createdAt", random.NextBool(0.1) ? "null" : "\"2025-01-01T00:00:00Z\""));
            if (random.NextBool(0.3)) fields.Add(Property("asOf", random.NextBool(0.1) ? "null" : "\"2025-12-01T00:00:00Z\""));
            return S() + Object(fields.OrderBy(_ => random.NextUInt64())) + S();
        }
        var top = new List<string> { Property("leads", $"[{string.Join(",", Enumerable.Range(0, leads).Select(_ => Lead()))}{S()}]") };
        if (random.NextBool(0.5)) top.Add(Property("model", Pick("\"sample\"", "null")));
        return S() + Object(top.OrderBy(_ => random.NextUInt64())) + S();
    }

    [Fact]
    public void TheCommonForm_IsReadByTheFastPath_AsTheCheckedReaderReadsIt()
    {
        var random = new Xoshiro256(5);
        for (var i = 0; i < 400; i++)
        {
            var json = Batch(random, random.NextInt(8));
            Assert.True(Agrees(Encoding.UTF8.GetBytes(json)), $"The fast path declined a batch in the common form: {json}");
        }
    }

    [Fact]
    public void AlteredBodies_AreReadAlike_OrLeftToTheCheckedReader()
    {
        // Bytes that change what JSON means: structure, quotes, escapes, digits, signs, letters of literals, white
        // space JSON does and does not allow, control characters, and bytes of broken UTF-8.
        byte[] bytes = [.. "{}[]:,\"\\0123456789-+.eEtrufalsn \t\r\n/*#'"u8, 0x00, 0x01, 0x0b, 0x0c, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0xf5, 0xff];
        var random = new Xoshiro256(17);
        int accepted = 0, declined = 0;
        for (var i = 0; i < 6000; i++)
        {
            var json = new List<byte>(Encoding.UTF8.GetBytes(Batch(random, 1 + random.NextInt(3))));
            for (var edits = 1 + random.NextInt(3); edits > 0 && json.Count > 0; edits--)
            {
                var at = random.NextInt(json.Count);
                switch (random.NextInt(6))
                {
                    case 0: json.RemoveAt(at); break;
                    case 1: json.Insert(at, bytes[random.NextInt(bytes.Length)]); break;
                    case 2: json[at] = bytes[random.NextInt(bytes.Length)]; break;
                    case 3: json.RemoveRange(at, json.Count - at); break;
                    case 4:
                        var from = random.NextInt(json.Count);
                        json.InsertRange(at, json.GetRange(from, Math.Min(1 + random.NextInt(12), json.Count - from)));
                        break;
                    default: json[at] = (byte)char.ToUpperInvariant((char)json[at]); break;
                }
            }
            if (Agrees([.. json], limit: random.NextBool(0.1) ? 1 : 100)) accepted++;
            else declined++;
        }
        // Both sides are exercised: many alterations keep a body valid and common (a changed digit or letter of a text).
        Assert.True(accepted > 500 && declined > 500, $"{accepted} accepted, {declined} declined");
    }

    [Theory]
    // Leads the fast path leaves to the checked reader, one at a time: other forms, or a lead with a problem.
    [InlineData("""{"leadId":"a\"b"}""")]
    [InlineData("""{"attributes":{"industry":"Soft\u0077are"}}""")]
    [InlineData("""{"LeadId":"a","Attributes":{"x":1}}""")]
    [InlineData("""{"leadId":"a","leadId":"b"}""")]
    [InlineData("""{"leadId":"a","extra":{"deep":[1,{"x":null}]}}""")]
    [InlineData("""{"attributes":{"list":[1]}}""")]
    [InlineData("""{"events":[{"type":"x"}]}""")]
    [InlineData("""{"events":[{"type":" ","timestamp":"2025-11-20T10:00:00Z"}]}""")]
    [InlineData("""{"events":[{"type":"x","timestamp":"2025-11-20T10:00:00+01:00"}]}""")]
    [InlineData("""{"createdAt":"2025-12-31T00:00:00Z"}""")]
    [InlineData("""{"leadId":5}""")]
    [InlineData("""{"attributes":{"x":"\u0000invalid"}}""")]
    [InlineData("null")]
    [InlineData("\"L1\"")]
    [InlineData("[1,2]")]
    [InlineData("7")]
    public void AnUncommonLead_IsReadAloneByTheCheckedReader_AndTheOthersByTheFastPath(string lead)
    {
        var json = Encoding.UTF8.GetBytes($$$"""{"leads":[{"leadId":"first","attributes":{"a":"x"}},{{{lead}}},{"leadId":"last","events":[{"type":"t","timestamp":"2025-11-20T10:00:00Z"}]}]}""");
        Assert.True(Agrees(json), $"declined {lead}");
    }

    [Theory]
    // A body the fast path leaves to the checked reader whole: another form of the body, or malformed JSON.
    [InlineData("""{"leads":[{"leadId":"a"}],"extra":1}""")]
    [InlineData("""{"Leads":[{"leadId":"a"}]}""")]
    [InlineData("""{"leads":[],"leads":[]}""")]
    [InlineData("""{"leads":null}""")]
    [InlineData("""{"model":"m"}""")]
    [InlineData("""{"model":5,"leads":[]}""")]
    // Malformed JSON, which only the checked reader may answer.
    [InlineData("""{"leads":[{"attributes":{"n":01}}]}""")]
    [InlineData("""{"leads":[{"attributes":{"n":1.}}]}""")]
    [InlineData("""{"leads":[{"attributes":{"n":-}}]}""")]
    [InlineData("""{"leads":[{"attributes":{"n":+1}}]}""")]
    [InlineData("""{"leads":[{"attributes":{"n":.5}}]}""")]
    [InlineData("""{"leads":[{"attributes":{"n":1e}}]}""")]
    [InlineData("""{"leads":[{"attributes":{"n":NaN}}]}""")]
    [InlineData("""{"leads":[{"attributes":{"n":tru}}]}""")]
    [InlineData("""{"leads":[{"attributes":{"n":truex}}]}""")]
    [InlineData("""{"leads":[{"leadId":"a",}]}""")]
    [InlineData("""{"leads":[{"leadId":"a"},]}""")]
    [InlineData("""{"leads":[]}x""")]
    [InlineData("""{"leads":[]}{}""")]
    [InlineData("""{"leads":[] /* comment */}""")]
    [InlineData("""{'leads':[]}""")]
    [InlineData("""{"leads":[{"leadId":"a	b"}]}""")]
    public void OtherForms_AreLeftToTheCheckedReader(string json)
    {
        Assert.False(BatchReader.TryReadCommon(Encoding.UTF8.GetBytes(json), 100, Now, out _));
        // And read as before, by the checked reader.
        Assert.Equal(Checked(Encoding.UTF8.GetBytes(json), 100), CheckedThroughRead(json));
    }

    private static string CheckedThroughRead(string json)
    {
        try
        {
            return Text(BatchReader.Read(Encoding.UTF8.GetBytes(json), 100, Now));
        }
        catch (Exception e)
        {
            return $"fails: {e.GetType().Name}";
        }
    }

    [Fact]
    public void NestingInALead_IsRefusedAtTheDepthTheCheckedReaderRefusesIt()
    {
        var outcomes = new List<string>();
        for (var depth = 56; depth <= 66; depth++)
        {
            var json = $$$"""{"leads":[{"leadId":"a"},{"extra":{{{new string('[', depth)}}}{{{new string(']', depth)}}}}]}""";
            var expected = Checked(Encoding.UTF8.GetBytes(json), 100);
            Agrees(Encoding.UTF8.GetBytes(json));
            Assert.Equal(expected, CheckedThroughRead(json));
            outcomes.Add(expected);
        }
        // Some depths are read and the deeper ones refused.
        Assert.Contains(outcomes, o => o.StartsWith("fails", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => !o.StartsWith("fails", StringComparison.Ordinal));
    }

    [Fact]
    public void BrokenUtf8_AndTheByteOrderMark_AreLeftToTheCheckedReader()
    {
        byte[][] bodies =
        [
            [.. """{"leads":[{"leadId":"""u8, (byte)'"', 0xC3, 0x28, (byte)'"', .. "}]}"u8],
            [.. """{"leads":[{"leadId":"""u8, (byte)'"', 0xC0, 0xAF, (byte)'"', .. "}]}"u8],
            [.. """{"leads":[{"leadId":"""u8, (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', .. "}]}"u8],
            [.. """{"leads":[{"attributes":{"x":"""u8, (byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"', .. "}}]}"u8],
            [0xEF, 0xBB, 0xBF, .. """{"leads":[]}"""u8],
        ];
        foreach (var json in bodies) Assert.False(BatchReader.TryReadCommon(json, 100, Now, out _), Convert.ToHexString(json));
        Assert.True(Agrees([.. """{"leads":[{"leadId":"""u8, (byte)'"', 0xC3, 0xBC, (byte)'"', .. "}]}"u8]));
    }

    [Fact]
    public void MoreLeadsThanTheLimit_AreLeftToTheCheckedReader()
    {
        var json = Encoding.UTF8.GetBytes("""{"leads":[{},{},{}]}""");
        Assert.True(Agrees(json, limit: 3));
        Assert.False(BatchReader.TryReadCommon(json, 2, Now, out _));
        Assert.Equal("fails: RequestValidationException", Checked(json, 2));
    }
}
