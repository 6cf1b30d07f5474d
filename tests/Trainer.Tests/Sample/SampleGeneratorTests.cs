using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using LeadML.Features.History;
using LeadML.Trainer.Sample;
using static LeadML.Trainer.Tests.Sample.SampleHistoryFixture;

namespace LeadML.Trainer.Tests.Sample;

public sealed class SampleGeneratorTests(SampleHistoryFixture sample) : IClassFixture<SampleHistoryFixture>
{
    private static readonly string[] Files = ["leads.csv", "events.csv", "leadml.json", "truth.json", "truth-probabilities.csv"];

    [Fact]
    public void Write_SameSeed_WritesByteIdenticalFiles()
    {
        var options = new SampleOptions { Leads = 400, TruthReplicates = 4 };
        using var a = new TempFolder();
        using var b = new TempFolder();
        SampleGenerator.Write(a.Path, options);
        SampleGenerator.Write(b.Path, options);
        foreach (var file in Files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, file)), File.ReadAllBytes(Path.Combine(b.Path, file)));
        }
    }

    [Fact]
    public void Write_LeadsSimulatedInSmallerChunks_WritesByteIdenticalFiles()
    {
        // Every fourth lead gets true probabilities, so the kept leads and their jobs cross chunk boundaries too.
        var options = new SampleOptions { Leads = 400, TruthReplicates = 4, TruthLeads = 100 };
        using var a = new TempFolder();
        using var b = new TempFolder();
        SampleGenerator.Write(a.Path, options);
        SampleGenerator.Write(b.Path, options, null, leadsPerChunk: 7);
        foreach (var file in Files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, file)), File.ReadAllBytes(Path.Combine(b.Path, file)));
        }
    }

    [Fact]
    public void Write_DifferentSeed_WritesDifferentHistories()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        SampleGenerator.Write(a.Path, new SampleOptions { Leads = 400, Seed = 1, TruthProbabilities = false });
        SampleGenerator.Write(b.Path, new SampleOptions { Leads = 400, Seed = 2, TruthProbabilities = false });
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a.Path, "leads.csv")), File.ReadAllBytes(Path.Combine(b.Path, "leads.csv")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a.Path, "events.csv")), File.ReadAllBytes(Path.Combine(b.Path, "events.csv")));
    }

    [Fact]
    public void Write_WithoutTruthProbabilities_WritesTheSameHistoryAndNoProbabilities()
    {
        using var with = new TempFolder();
        using var without = new TempFolder();
        SampleGenerator.Write(with.Path, new SampleOptions { Leads = 300, TruthReplicates = 2 });
        var summary = SampleGenerator.Write(without.Path, new SampleOptions { Leads = 300, TruthProbabilities = false });
        Assert.Equal(File.ReadAllBytes(Path.Combine(with.Path, "leads.csv")), File.ReadAllBytes(Path.Combine(without.Path, "leads.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(with.Path, "events.csv")), File.ReadAllBytes(Path.Combine(without.Path, "events.csv")));
        Assert.False(File.Exists(Path.Combine(without.Path, "truth-probabilities.csv")));
        Assert.False(summary.TruthProbabilities);
        Assert.Equal(0, summary.Snapshots);
    }

    [Fact]
    public void Write_InvalidOptions_ThrowBeforeWritingAnything()
    {
        using var folder = new TempFolder();
        Assert.Throws<ValidationException>(() => SampleGenerator.Write(folder.Path, new SampleOptions { Leads = 0 }));
        Assert.Throws<ValidationException>(() => SampleGenerator.Write(folder.Path, new SampleOptions { TruthReplicates = 0 }));
        var noon = Assert.Throws<ValidationException>(() =>
            SampleGenerator.Write(folder.Path, new SampleOptions { Start = new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc) }));
        Assert.Contains("2025-01-01T12:00:00", noon.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Path));
    }

    [Fact]
    public void Summary_MatchesTheFiles()
    {
        var s = sample.Summary;
        Assert.Equal(sample.Options.Leads, s.Leads);
        Assert.Equal(sample.Leads.Count, s.Leads);
        Assert.Equal(sample.Events.Count, s.Events);
        Assert.Equal(sample.Leads.Count(l => l["converted_at"] != ""), s.Converted);
        Assert.Equal(s.Converted / (double)s.Leads, s.ConversionRate, 10);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), s.HistoryEnd);
        Assert.True(s.TruthProbabilities);
        Assert.Equal(sample.TruthProbabilities.Count, s.Snapshots);
        // About 45 events per lead, post-conversion ones included.
        Assert.InRange(s.Events / (double)s.Leads, 35, 55);
        Assert.Equal(s.Leads, sample.Leads.Select(l => l["lead_id"]).Distinct().Count());
        Assert.Equal(s.Events, sample.Events.Select(e => e["event_id"]).Distinct().LongCount());
    }

    [Fact]
    public void ConversionRate_IsAboutTenPercent()
    {
        Assert.InRange(sample.Summary.ConversionRate, 0.06, 0.16);
    }

    [Fact]
    public void PostConversionEvents_FollowTheConversion_AndNeverOccurForUnconvertedLeads()
    {
        var converted = sample.Leads.ToDictionary(l => l["lead_id"], l => l["converted_at"] == "" ? (DateTime?)null : Time(l["converted_at"]));
        var postTypes = new HashSet<string>(["login", "invoice_paid"]);
        var seen = 0;
        foreach (var e in sample.Events)
        {
            var at = Time(e["timestamp"]);
            var conversion = converted[e["lead_id"]];
            if (postTypes.Contains(e["type"]))
            {
                Assert.NotNull(conversion);
                Assert.True(at > conversion, $"{e["event_id"]} {e["type"]} at {at:o} is not after the conversion at {conversion:o}");
                seen++;
            }
            else if (conversion is { } c)
            {
                Assert.True(at < c, $"{e["event_id"]} {e["type"]} at {at:o} is not before the conversion at {c:o}");
            }
        }
        Assert.True(seen > 1000);
    }

    [Fact]
    public void Events_FallWithinTheLeadsLifetimeAndTheHistory()
    {
        var created = sample.Leads.ToDictionary(l => l["lead_id"], l => Time(l["created_at"]));
        var start = sample.Options.Start;
        var end = sample.Summary.HistoryEnd;
        foreach (var l in sample.Leads)
        {
            Assert.InRange(Time(l["created_at"]), start, end.AddSeconds(-1));
            if (l["converted_at"] != "")
            {
                Assert.True(Time(l["converted_at"]) > Time(l["created_at"]));
                Assert.True(Time(l["converted_at"]) < end);
            }
        }
        foreach (var e in sample.Events)
        {
            var at = Time(e["timestamp"]);
            Assert.True(at > created[e["lead_id"]], $"{e["event_id"]} at {at:o} is before its lead's creation");
            Assert.True(at < end, $"{e["event_id"]} at {at:o} is after the history end");
        }
    }

    [Fact]
    public void Events_UseTheDocumentedTypesAndAFixedSetOfDetails()
    {
        string[] types =
        [
            "page_view", "email_open", "email_click", "form_submit", "quote_request", "webinar", "social_share",
            "unsubscribe", "email_bounce", "login", "invoice_paid",
        ];
        Assert.Equal(types.Order(StringComparer.Ordinal), sample.Events.Select(e => e["type"]).Distinct().Order(StringComparer.Ordinal));
        var pages = sample.Events.Where(e => e["type"] == "page_view").Select(e => e["detail"]).Distinct().ToList();
        Assert.Contains("/pricing", pages);
        Assert.Contains("/careers", pages);
        Assert.Contains(pages, p => p.StartsWith("/blog/", StringComparison.Ordinal));
        Assert.All(pages, p => Assert.StartsWith("/", p));
        var campaigns = sample.Events.Where(e => e["type"] is "email_open" or "email_click").Select(e => e["detail"]).Distinct().ToList();
        Assert.InRange(campaigns.Count, 2, 10);
        Assert.DoesNotContain(campaigns, c => c.Any(char.IsDigit));
        var forms = sample.Events.Where(e => e["type"] == "form_submit").Select(e => e["detail"]).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["/contact", "/demo", "/newsletter"], forms);
    }

    [Fact]
    public void Leads_HaveTheAttributeColumns_WithSomeMissingValues()
    {
        var header = File.ReadLines(Path.Combine(sample.Folder, "leads.csv")).First();
        Assert.Equal("lead_id,created_at,converted_at,industry,company_size,country,job_title,lead_source,budget_known", header);
        Assert.Contains(sample.Leads, l => l["industry"] == "");
        Assert.Contains(sample.Leads, l => l["company_size"] == "");
        Assert.All(sample.Leads.Where(l => l["company_size"] != ""),
            l => Assert.True(int.Parse(l["company_size"], CultureInfo.InvariantCulture) >= 1));
        Assert.Equal(["", "no", "yes"], sample.Leads.Select(l => l["budget_known"]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["event", "paid", "partner", "referral", "web"],
            sample.Leads.Select(l => l["lead_source"]).Distinct().Order(StringComparer.Ordinal));
        // Arrivals grow over the months.
        var byMonth = sample.Leads.GroupBy(l => Time(l["created_at"]).Month).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byMonth[12] > byMonth[1] * 1.3);
    }

    [Fact]
    public void PositiveEffectLevel_ConvertsMoreOften_ThanNegativeEffectLevel()
    {
        double Rate(string title)
        {
            var leads = sample.Leads.Where(l => l["job_title"] == title).ToList();
            return leads.Count(l => l["converted_at"] != "") / (double)leads.Count;
        }
        using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample.Folder, "truth.json")));
        var effects = truth.RootElement.GetProperty("effects").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "level")
            .ToDictionary(e => e.GetProperty("feature").GetString()!, e => e.GetProperty("logOdds").GetDouble());
        Assert.True(effects["attr.job_title=CEO"] > 0);
        Assert.True(effects["attr.job_title=Student"] < 0);
        Assert.True(Rate("CEO") > 2 * Rate("Student"), $"CEO {Rate("CEO"):P1}, Student {Rate("Student"):P1}");
        Assert.True(Rate("CEO") > Rate("Consultant"));
    }

    [Fact]
    public void Truth_ListsSignedEffects_ZeroEffects_AndPostConversionTypes()
    {
        using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample.Folder, "truth.json")));
        var root = truth.RootElement;
        var effects = root.GetProperty("effects").EnumerateArray().ToList();
        var byName = effects.GroupBy(e => e.GetProperty("feature").GetString()!).ToDictionary(g => g.Key, g => g.First());
        foreach (var e in effects)
        {
            var logOdds = e.GetProperty("logOdds").GetDouble();
            Assert.NotEqual(0, logOdds);
            Assert.Equal(logOdds > 0 ? "positive" : "negative", e.GetProperty("sign").GetString());
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("description").GetString()));
        }
        Assert.Contains(effects, e => e.GetProperty("logOdds").GetDouble() >= 0.3);
        Assert.Contains(effects, e => e.GetProperty("logOdds").GetDouble() <= -0.3);
        Assert.True(byName["attr.industry=Software"].GetProperty("logOdds").GetDouble() > 0);
        Assert.True(byName["evt.page_view[/pricing].count_30d"].GetProperty("logOdds").GetDouble() > 0);
        Assert.True(byName["evt.quote_request.count_90d"].GetProperty("logOdds").GetDouble() > 0);
        Assert.True(byName["evt.unsubscribe.ever"].GetProperty("logOdds").GetDouble() < 0);
        Assert.True(byName["act.days_since_last"].GetProperty("logOdds").GetDouble() < 0);
        Assert.Equal(30, byName["act.days_since_last"].GetProperty("per").GetDouble());

        var zero = root.GetProperty("zeroEffectFeatures").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains("attr.lead_source=web", zero);
        Assert.Contains(zero, z => z.StartsWith("evt.page_view[/blog/", StringComparison.Ordinal));
        Assert.DoesNotContain(zero, byName.ContainsKey);
        Assert.NotEmpty(root.GetProperty("noDirectEffectFeatures").EnumerateArray());
        Assert.Equal(["login", "invoice_paid"], root.GetProperty("postConversionOnlyEventTypes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Schema_RoundTripsIntoHistorySchema()
    {
        var json = File.ReadAllText(Path.Combine(sample.Folder, "leadml.json"));
        Assert.Contains("\"kind\": \"events\"", json, StringComparison.Ordinal);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        var schema = JsonSerializer.Deserialize<HistorySchema>(json, options)!;
        Assert.Equal(HistoryKind.Events, schema.Kind);
        Assert.Equal(90, schema.HorizonDays);
        Assert.Equal("leads.csv", schema.Leads.File);
        Assert.Equal("events.csv", schema.Events.File);
        Assert.Equal(ColumnType.Number, schema.Columns["company_size"]);
        Assert.Equal(ColumnType.Flag, schema.Columns["budget_known"]);
        Assert.Contains("Student", schema.Negative["job_title"]);
        Assert.Equal(new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc), schema.Window!.Start);
        Assert.Equal(sample.Summary.HistoryEnd, schema.Window.End);
        Assert.Equal(new SplitSchema().TestCutoffs, schema.Split.TestCutoffs);
        Assert.Equal(new SplitSchema().ValidationCutoffs, schema.Split.ValidationCutoffs);
        Assert.Equal(json, JsonSerializer.Serialize(schema, SampleGenerator.Json) + "\n");
    }

    [Fact]
    public void TruthProbabilities_AreProbabilities_WhoseMeanMatchesTheRealisedRate()
    {
        var rows = sample.TruthProbabilities;
        var converted = sample.Leads.ToDictionary(l => l["lead_id"], l => l["converted_at"] == "" ? (DateTime?)null : Time(l["converted_at"]));
        var created = sample.Leads.ToDictionary(l => l["lead_id"], l => Time(l["created_at"]));
        var cutoffs = rows.Select(r => Time(r["cutoff"])).Distinct().ToList();
        Assert.Equal(sample.Options.TruthCutoffs, cutoffs.Count);
        Assert.All(cutoffs, c => Assert.True(c.Day == 1 && c.TimeOfDay == TimeSpan.Zero && c.AddDays(90) <= sample.Summary.HistoryEnd));
        foreach (var c in cutoffs)
        {
            // Every lead alive at the cut-off has a row, and only those.
            var alive = sample.Leads.Where(l => created[l["lead_id"]] < c && (converted[l["lead_id"]] is not { } t || t >= c))
                .Select(l => l["lead_id"]).Order(StringComparer.Ordinal);
            Assert.Equal(alive, rows.Where(r => Time(r["cutoff"]) == c).Select(r => r["lead_id"]).Order(StringComparer.Ordinal));
        }
        var p = rows.Select(r => double.Parse(r["probability"], CultureInfo.InvariantCulture)).ToList();
        Assert.All(p, x => Assert.InRange(x, 0, 1));
        var realised = rows.Select(r => converted[r["lead_id"]] is { } t && t < Time(r["cutoff"]).AddDays(90)).ToList();
        Assert.Equal(realised.Select(x => x ? "1" : "0"), rows.Select(r => r["converted_within_horizon"]));
        var realisedRate = realised.Count(x => x) / (double)realised.Count;
        Assert.InRange(p.Average(), realisedRate - 0.02, realisedRate + 0.02);
        // The truth ranks leads well above chance.
        Assert.True(SampleTruth.RocAuc(p, realised) > 0.75);

        // Given only the observable history, the probabilities average to the same (the hidden state integrated over
        // its posterior), follow the oracle's closely, and rank a little worse: the oracle knows more.
        var q = rows.Select(r => double.Parse(r["observable_probability"], CultureInfo.InvariantCulture)).ToList();
        Assert.All(q, x => Assert.InRange(x, 0, 1));
        Assert.InRange(q.Average(), p.Average() - 0.003, p.Average() + 0.003);
        Assert.True(Correlation(p, q) > 0.9, $"correlation {Correlation(p, q):F3}");
        var oracle = SampleTruth.RocAuc(p, realised);
        var observable = SampleTruth.RocAuc(q, realised);
        Assert.InRange(observable, oracle - 0.03, oracle + 0.002);
        // truth.json reports both.
        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(sample.Folder, "truth.json")))!["truthProbabilities"]!;
        Assert.Equal(oracle, summary["rocAuc"]!.GetValue<double>(), 6);
        Assert.Equal(observable, summary["observableRocAuc"]!.GetValue<double>(), 6);
    }

    private static double Correlation(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Count; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "leadml-sample-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
    }
}
