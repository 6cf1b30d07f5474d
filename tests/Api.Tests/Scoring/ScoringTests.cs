using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Tests.Fixtures;

namespace LeadML.Api.Tests.Scoring;

/// <summary>The scoring endpoints as an application calls them.</summary>
[Collection(BundleCollection.Name)]
public sealed class ScoringTests(TrainedBundle bundle) : IDisposable
{
    private readonly ApiFactory _api = ApiFactory.For(bundle.Directory, ("LeadML:WatchBundles", "false"));

    public void Dispose() => _api.Dispose();

    internal static object Lead(string? industry = "Software", int pricingViews = 3, string? id = "L1") => new
    {
        leadId = id,
        attributes = new Dictionary<string, object?> { ["industry"] = industry, ["job_title"] = "CEO", ["company_size"] = 250, ["country"] = "Germany", ["budget_known"] = "yes" },
        createdAt = "2025-09-01T00:00:00Z",
        asOf = "2025-12-01T00:00:00Z",
        events = Enumerable.Range(0, pricingViews).Select(i => new { type = "page_view", detail = "/pricing", timestamp = $"2025-11-{10 + i:00}T10:00:00Z" })
            .Append(new { type = "email_open", detail = "newsletter", timestamp = "2025-11-05T08:00:00Z" }).ToArray(),
    };

    private static async Task<JsonObject> Json(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Score_AnswersWithEveryPartOfTheExplanation_AndThePartsAddUp()
    {
        var r = await _api.Client().PostAsJsonAsync("/score", Lead());
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var s = await Json(r);

        Assert.Equal("L1", s["leadId"]!.GetValue<string>());
        Assert.Equal("sample", s["model"]!.GetValue<string>());
        Assert.Equal("suggested", s["ruleSetSource"]!.GetValue<string>());
        Assert.StartsWith("sample-", s["modelVersion"]!.GetValue<string>(), StringComparison.Ordinal);
        var score = s["score"]!.GetValue<double>();
        Assert.InRange(score, 0, 100);
        Assert.Contains(s["grade"]!.GetValue<string>(), new[] { "A", "B", "C", "D" });

        var rules = s["rulePoints"]!.AsObject();
        var criteria = rules["criteria"]!.AsArray();
        Assert.NotEmpty(criteria);
        var raw = rules["basePoints"]!.GetValue<double>() + criteria.Sum(c => c!["countedPoints"]!.GetValue<int>());
        Assert.Equal(Math.Clamp(raw, 0, 100), rules["score"]!.GetValue<double>(), 2);
        Assert.InRange(rules["fit"]!.GetValue<double>(), 0, 100);
        Assert.InRange(rules["engagement"]!.GetValue<double>(), 0, 100);

        var model = s["modelPoints"]!.AsObject();
        var parts = model["baseline"]!.GetValue<double>() + model["otherPoints"]!.GetValue<double>()
            + model["contributions"]!.AsArray().Sum(c => c!["points"]!.GetValue<double>());
        Assert.Equal(Math.Clamp(parts, 0, 100), model["score"]!.GetValue<double>(), 0);
        Assert.InRange(s["modelProbability"]!.GetValue<double>(), 0, 1);

        var w = s["blend"]!["modelWeight"]!.GetValue<double>();
        Assert.Equal((1 - w) * rules["score"]!.GetValue<double>() + w * model["score"]!.GetValue<double>(), score, 1);
        Assert.Equal(score >= 0 && s["salesReady"]!.GetValue<bool>(), score >= SalesReady());
    }

    [Fact]
    public async Task Score_ExplanationsReadAsSentences_WithoutFeatureIds()
    {
        var s = await Json(await _api.Client().PostAsJsonAsync("/score", Lead()));
        var labels = s["modelPoints"]!["contributions"]!.AsArray().Select(c => (string)c!["label"]!)
            .Concat(s["rulePoints"]!["criteria"]!.AsArray().Select(c => (string)c!["label"]!)).ToList();
        Assert.NotEmpty(labels);
        foreach (var label in labels)
        {
            Assert.True(LeadML.Tests.Shared.LabelRules.IsSentence(label, out var why), $"'{label}' {why}");
        }
        // The lead's own value, in words: three /pricing views in the last 30 days.
        var pricing = s["modelPoints"]!["contributions"]!.AsArray().FirstOrDefault(c => (string)c!["feature"]! == "evt.page_view[/pricing].count_30d");
        if (pricing is not null) Assert.Equal("Viewed /pricing 3 times in the last 30 days", (string)pricing["label"]!);
    }

    [Fact]
    public async Task Score_ReturnsTheFitEngagementCell_OfItsFitAndEngagementParts()
    {
        var rules = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle.Directory, "suggested-ruleset.json")))!;
        var matrix = rules["matrix"]!;
        double[] Cuts(string axis) => [.. matrix[axis]!.AsArray().Select(v => v!.GetValue<double>())];
        static int Band(double[] cuts, double part) => cuts.TakeWhile(c => part < c).Count();
        foreach (var lead in new[] { Lead(pricingViews: 0), Lead(pricingViews: 5), Lead(industry: "Education", pricingViews: 1) })
        {
            var s = await Json(await _api.Client().PostAsJsonAsync("/score", lead));
            var fit = s["rulePoints"]!["fit"]!.GetValue<double>();
            var engagement = s["rulePoints"]!["engagement"]!.GetValue<double>();
            var expected = $"{"ABCD"[Band(Cuts("fit"), fit)]}{Band(Cuts("engagement"), engagement) + 1}";
            Assert.Equal(expected, s["matrix"]!.GetValue<string>());
        }
    }

    private double SalesReady() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(bundle.Directory, "suggested-ruleset.json")))!["thresholds"]!["salesReady"]!.GetValue<double>();

    [Fact]
    public async Task Score_MorePricingVisits_ScoreHigher()
    {
        var low = await Json(await _api.Client().PostAsJsonAsync("/score", Lead(pricingViews: 0)));
        var high = await Json(await _api.Client().PostAsJsonAsync("/score", Lead(pricingViews: 5)));
        Assert.True(high["score"]!.GetValue<double>() > low["score"]!.GetValue<double>());
        Assert.True(high["rulePoints"]!["engagement"]!.GetValue<double>() > low["rulePoints"]!["engagement"]!.GetValue<double>());
    }

    [Fact]
    public async Task Score_ExplainFalse_SkipsTheExplanationButNotTheScore()
    {
        var full = await Json(await _api.Client().PostAsJsonAsync("/score", Lead()));
        var bare = await Json(await _api.Client().PostAsJsonAsync("/score?explain=false", Lead()));
        Assert.Null(bare["rulePoints"]!["criteria"]);
        Assert.Null(bare["modelPoints"]!["contributions"]);
        Assert.Null(bare["blend"]);
        Assert.Equal(full["score"]!.GetValue<double>(), bare["score"]!.GetValue<double>());
    }

    [Fact]
    public async Task Score_UnknownCategoryMissingAttributesAndFutureEvents_AreReportedNotFatal()
    {
        var body = new
        {
            attributes = new Dictionary<string, object?> { ["industry"] = "Aerospace", ["planet"] = "Mars", ["company_size"] = "many" },
            asOf = "2025-12-01T00:00:00Z",
            events = new[] { new { type = "page_view", detail = (string?)"/pricing", timestamp = "2025-12-02T00:00:00Z" }, new { type = "telepathy", detail = (string?)null, timestamp = "2025-11-02T00:00:00Z" } },
        };
        var r = await _api.Client().PostAsJsonAsync("/score", body);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var w = (await Json(r))["warnings"]!.AsObject();
        Assert.Contains("planet", w["unknownAttributes"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Contains(w["unknownCategories"]!.AsArray(), x => x!.GetValue<string>().Contains("Aerospace", StringComparison.Ordinal));
        Assert.Contains(w["invalidValues"]!.AsArray(), x => x!.GetValue<string>().Contains("company_size", StringComparison.Ordinal));
        Assert.Contains("job_title", w["missingAttributes"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(1, w["ignoredEvents"]!.GetValue<int>());
        var reason = Assert.Single(w["ignoredEventReasons"]!.AsArray());
        Assert.Equal("$.events[0]", reason!["path"]!.GetValue<string>());
        Assert.Equal("at or after asOf", reason["reason"]!.GetValue<string>());
        Assert.Equal(["telepathy"], w["unknownEventTypes"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public async Task Score_NumberThatIsNotANumber_ScoresAsMissing_IsReported_AndTakesNoPoints()
    {
        static object With(object? size) => new
        {
            attributes = new Dictionary<string, object?> { ["industry"] = "Software", ["job_title"] = "CEO", ["company_size"] = size, ["country"] = "Germany" },
            createdAt = "2025-09-01T00:00:00Z",
            asOf = "2025-12-01T00:00:00Z",
        };
        var text = await Json(await _api.Client().PostAsJsonAsync("/score", With("another value")));
        var missing = await Json(await _api.Client().PostAsJsonAsync("/score", With(null)));

        Assert.Equal(["company_size: 'another value' is not a number"], text["warnings"]!["invalidValues"]!.AsArray().Select(x => x!.GetValue<string>()));
        // Scored exactly as a lead without the value: no "another value" category, no points of its own.
        Assert.Equal(missing["score"]!.GetValue<double>(), text["score"]!.GetValue<double>());
        Assert.Equal(missing["modelProbability"]!.GetValue<double>(), text["modelProbability"]!.GetValue<double>());
        Assert.Equal(
            missing["rulePoints"]!["criteria"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()),
            text["rulePoints"]!["criteria"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Batch_IgnoredEvents_AreNamedAtTheirPathInTheBatch()
    {
        var late = new JsonObject
        {
            ["asOf"] = "2025-12-01T00:00:00Z",
            ["events"] = new JsonArray(
                new JsonObject { ["type"] = "page_view", ["timestamp"] = "2025-11-01T00:00:00Z" },
                new JsonObject { ["type"] = "page_view", ["timestamp"] = "2025-12-01T00:00:00Z" },
                new JsonObject { ["type"] = "email_open", ["timestamp"] = "2025-12-05T00:00:00Z" }),
        };
        var body = new JsonObject { ["leads"] = new JsonArray(JsonSerializer.SerializeToNode(Lead(id: "a")), late) };

        var r = await _api.Client().PostAsync("/score/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var w = (await Json(r))["items"]![1]!["result"]!["warnings"]!;
        Assert.Equal(2, w["ignoredEvents"]!.GetValue<int>());
        Assert.Equal(["$.leads[1].events[1]", "$.leads[1].events[2]"], w["ignoredEventReasons"]!.AsArray().Select(x => x!["path"]!.GetValue<string>()));
        Assert.All(w["ignoredEventReasons"]!.AsArray(), x => Assert.Equal("at or after asOf", x!["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Score_EmptyLead_ScoresWithoutNaN()
    {
        var r = await _api.Client().PostAsync("/score", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await Json(r);
    }

    [Theory]
    [InlineData("""{"events":[{"timestamp":"2025-01-01T00:00:00Z"}]}""", "$.events[0].type")]
    [InlineData("""{"events":[{"type":"page_view"}]}""", "$.events[0].timestamp")]
    [InlineData("""{"attributes":{"industry":[1,2]}}""", "$.attributes.industry")]
    [InlineData("""{"asOf":"yesterday"}""", "$.asOf")]
    [InlineData("""{"createdAt":"2025-12-02T00:00:00Z","asOf":"2025-12-01T00:00:00Z"}""", "$.createdAt")]
    [InlineData("""{"model":"nope"}""", "$.model")]
    public async Task Score_BadRequest_IsAProblemNamingTheField(string body, string path)
    {
        var r = await _api.Client().PostAsync("/score", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{r.StatusCode}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var p = await Json(r);
        Assert.True(p["errors"]!.AsObject().ContainsKey(path), p.ToJsonString());
    }

    [Theory]
    [InlineData("createdAt", "2025-09-01T00:00:00", "$.createdAt", "has no time zone")]
    [InlineData("createdAt", "2025-09-01", "$.createdAt", "is a date without a time")]
    [InlineData("asOf", "1899-12-31T23:59:59Z", "$.asOf", "is before 1900")]
    [InlineData("timestamp", "2025-11-10T10:00:00", "$.events[0].timestamp", "has no time zone")]
    [InlineData("timestamp", "2025-11-10", "$.events[0].timestamp", "is a date without a time")]
    [InlineData("timestamp", "1850-11-10T10:00:00+01:00", "$.events[0].timestamp", "is before 1900")]
    public async Task Score_DateWithoutZoneOrTimeOrBefore1900_IsRefusedAtItsPath(string field, string value, string path, string message)
    {
        var lead = JsonSerializer.SerializeToNode(Lead())!.AsObject();
        if (field == "timestamp") lead["events"]![0]![field] = value;
        else lead[field] = value;

        var r = await _api.Client().PostAsync("/score", new StringContent(lead.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await Json(r))["errors"]!.AsObject());
        Assert.Equal(path, error.Key);
        Assert.Contains($"'{value}' {message}", error.Value![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_DateWithoutZone_FailsThatLeadOnly()
    {
        var bad = JsonSerializer.SerializeToNode(Lead(id: "b"))!.AsObject();
        bad["events"]![1]!["timestamp"] = "2025-11-11T10:00:00";
        var body = new JsonObject { ["leads"] = new JsonArray(JsonSerializer.SerializeToNode(Lead(id: "a")), bad) };

        var r = await _api.Client().PostAsync("/score/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var items = (await Json(r))["items"]!.AsArray();
        Assert.Equal("a", items[0]!["result"]!["leadId"]!.GetValue<string>());
        Assert.Equal("$.leads[1].events[1].timestamp", items[1]!["error"]!["path"]!.GetValue<string>());
        Assert.Contains("has no time zone", items[1]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"NaN\"")]
    public async Task Score_NonFiniteNumber_IsAnInvalidValueScoredAsMissing_AloneAndInABatch_WithFeatures(string value)
    {
        var lead = JsonSerializer.SerializeToNode(Lead())!.AsObject();
        lead["attributes"]!["company_size"] = JsonNode.Parse(value);
        var missing = JsonSerializer.SerializeToNode(Lead())!.AsObject();
        missing["attributes"]!.AsObject().Remove("company_size");
        var expected = await Json(await _api.Client().PostAsJsonAsync("/score?features=true", missing));

        var r = await _api.Client().PostAsync("/score?features=true", new StringContent(lead.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        // The warning echoes the value sent, so the text holds "Infinity" or "NaN"; no number in the answer does.
        var alone = await Finite(r);
        Assert.Contains("company_size", Assert.Single(alone["warnings"]!["invalidValues"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(expected["score"]!.GetValue<double>(), alone["score"]!.GetValue<double>());
        Assert.True(JsonNode.DeepEquals(expected["features"], alone["features"]), alone["features"]!.ToJsonString());

        var body = new JsonObject { ["leads"] = new JsonArray(lead.DeepClone(), JsonSerializer.SerializeToNode(Lead(id: "b"))) };
        var batch = await _api.Client().PostAsync("/score/batch?features=true", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var items = (await Finite(batch))["items"]!.AsArray();
        Assert.Equal(alone["score"]!.GetValue<double>(), items[0]!["result"]!["score"]!.GetValue<double>());
        Assert.Single(items[0]!["result"]!["warnings"]!["invalidValues"]!.AsArray());
        Assert.NotNull(items[1]!["result"]);
    }

    /// <summary>The body, each of its numbers checked to be finite.</summary>
    private static async Task<JsonObject> Finite(HttpResponseMessage r)
    {
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        Check(body);
        return body;

        static void Check(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, v) in o) Check(v);
                    break;
                case JsonArray a:
                    foreach (var v in a) Check(v);
                    break;
                case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                    Assert.True(double.IsFinite(v.GetValue<double>()), v.ToJsonString());
                    break;
            }
        }
    }

    [Fact]
    public async Task Batch_ScoresEachLead_AndReportsBadItemsWithoutFailingTheBatch()
    {
        var body = new JsonObject
        {
            ["leads"] = new JsonArray(
                JsonSerializer.SerializeToNode(Lead(id: "a")),
                JsonNode.Parse("""{"leadId":"b","events":[{"timestamp":"2025-01-01T00:00:00Z"}]}"""),
                JsonSerializer.SerializeToNode(Lead(id: "c", pricingViews: 0))),
        };
        var before = await ScoresCounted();
        var r = await _api.Client().PostAsync("/score/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var b = await Json(r);
        Assert.Equal(2, b["scored"]!.GetValue<int>());
        // The metrics are process-wide and other tests may score meanwhile: at least this batch's scores were counted.
        Assert.True(await ScoresCounted() >= before + 2);
        Assert.Equal(1, b["failed"]!.GetValue<int>());
        var items = b["items"]!.AsArray();
        Assert.Equal("a", items[0]!["result"]!["leadId"]!.GetValue<string>());
        Assert.Equal("$.leads[1].events[0].type", items[1]!["error"]!["path"]!.GetValue<string>());
        Assert.Equal("c", items[2]!["result"]!["leadId"]!.GetValue<string>());

        // The same lead alone and in a batch gets the same answer.
        var single = await Json(await _api.Client().PostAsJsonAsync("/score", Lead(id: "a")));
        Assert.Equal(single["score"]!.GetValue<double>(), items[0]!["result"]!["score"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("explain=false")]
    [InlineData("explain=true")]
    [InlineData("explain=false&features=true")]
    public async Task Batch_AnswersEveryLeadAsScoreDoes(string query)
    {
        JsonNode?[] leads =
        [
            JsonSerializer.SerializeToNode(Lead(id: "a")),
            JsonSerializer.SerializeToNode(Lead(industry: null, pricingViews: 0, id: null)),
            JsonNode.Parse("""{"LeadId":"c","attributes":{"industry":"Aerospace","planet":"Mars","company_size":"many","budget_known":true},"asOf":"2025-12-01T00:00:00Z","events":[{"type":" page_view ","detail":" /pricing ","timestamp":"2025-11-30T23:00:00-02:00"},{"type":"telepathy","timestamp":"2025-11-02T00:00:00Z"}]}"""),
            JsonNode.Parse("""{"leadId":"d","asOf":"2025-12-01T00:00:00+01:00","createdAt":"2025-11-01T00:00:00Z","attributes":{"industry":"Soft\u0077are","job_title":"Student","company_size":1.5e3}}"""),
        ];
        var r = await _api.Client().PostAsync($"/score/batch?{query}", new StringContent(new JsonObject { ["leads"] = new JsonArray([.. leads.Select(l => l!.DeepClone())]) }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        var items = (await Json(r))["items"]!.AsArray();
        Assert.Equal(leads.Length, items.Count);
        for (var i = 0; i < leads.Length; i++)
        {
            var single = await Json(await _api.Client().PostAsync($"/score?{query}", new StringContent(leads[i]!.ToJsonString(), Encoding.UTF8, "application/json")));
            // A warning's path names the event in the body sent: in a batch, within its lead.
            foreach (var reason in single["warnings"]?["ignoredEventReasons"]?.AsArray() ?? [])
            {
                reason!["path"] = reason["path"]!.GetValue<string>().Replace("$.events", $"$.leads[{i}].events", StringComparison.Ordinal);
            }
            Assert.Equal(i, items[i]!["index"]!.GetValue<int>());
            Assert.Null(items[i]!["error"]);
            Assert.True(JsonNode.DeepEquals(single, items[i]!["result"]), $"{single}\n{items[i]!["result"]}");
        }
    }

    [Fact]
    public async Task Batch_FieldsOfTheWrongTypeFailOnlyTheirLeads_MalformedJsonTheRequest()
    {
        var body = new JsonObject
        {
            ["leads"] = new JsonArray(
                JsonSerializer.SerializeToNode(Lead(id: "a")),
                JsonNode.Parse("""{"leadId":"b","events":[{"type":"page_view","timestamp":"2025-11-31T00:00:00Z"}]}"""),
                JsonNode.Parse("""{"leadId":7}"""),
                JsonNode.Parse("""{"leadId":"d","attributes":{"industry":{"name":"Software"}}}"""),
                null,
                JsonNode.Parse("""{"leadId":"f","model":"nope"}""")),
        };
        var r = await _api.Client().PostAsync("/score/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var b = await Json(r);
        Assert.Equal(1, b["scored"]!.GetValue<int>());
        Assert.Equal(5, b["failed"]!.GetValue<int>());
        var paths = b["items"]!.AsArray().Select(x => x!["error"]?["path"]?.GetValue<string>()).ToArray();
        Assert.Equal(new string?[] { null, "$.leads[1].events[0].timestamp", "$.leads[2].leadId", "$.leads[3].attributes.industry", "$.leads[4]", "$.leads[5].model" }, paths);

        var malformed = await _api.Client().PostAsync("/score/batch", new StringContent("""{"leads":[{"leadId":"a"},{"leadId":"b",]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.True((await Json(malformed))["errors"]!.AsObject().ContainsKey("$.leads[1]"));

        var text = await _api.Client().PostAsync("/score/batch", new StringContent("""{"leads":[]}""", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("application/problem+json", text.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("attribute", "$.attribute", "did you mean 'attributes'?")]
    [InlineData("created_at", "$.created_at", "did you mean 'createdAt'?")]
    [InlineData("foo", "$.foo", "is not a known property; the known ones are 'model', 'leadId', 'attributes'")]
    public async Task Score_UnknownProperty_IsRefusedAtItsPathWithTheClosestName(string name, string path, string message)
    {
        var lead = JsonSerializer.SerializeToNode(Lead())!.AsObject();
        lead[name] = new JsonObject { ["industry"] = "Software" };

        var r = await _api.Client().PostAsync("/score", new StringContent(lead.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await Json(r))["errors"]!.AsObject());
        Assert.Equal(path, error.Key);
        Assert.Contains(message, error.Value![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_UnknownPropertyOfAnEvent_IsRefusedAtItsPath()
    {
        var lead = JsonSerializer.SerializeToNode(Lead())!.AsObject();
        lead["events"]![0]!["detial"] = "/pricing";

        var r = await _api.Client().PostAsync("/score", new StringContent(lead.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var error = Assert.Single((await Json(r))["errors"]!.AsObject());
        Assert.Equal("$.events[0].detial", error.Key);
        Assert.Equal("is not a known property; did you mean 'detail'?", error.Value![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Batch_UnknownPropertyOfALead_FailsThatLead_OfTheBatchTheRequest()
    {
        var misspelled = JsonSerializer.SerializeToNode(Lead(id: "b"))!.AsObject();
        misspelled["evnts"] = misspelled["events"]!.DeepClone();
        var body = new JsonObject { ["leads"] = new JsonArray(JsonSerializer.SerializeToNode(Lead(id: "a")), misspelled) };

        var r = await _api.Client().PostAsync("/score/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var items = (await Json(r))["items"]!.AsArray();
        Assert.Null(items[0]!["error"]);
        Assert.Equal("$.leads[1].evnts", items[1]!["error"]!["path"]!.GetValue<string>());
        Assert.Equal("is not a known property; did you mean 'events'?", items[1]!["error"]!["message"]!.GetValue<string>());

        body["lead"] = new JsonArray();
        var whole = await _api.Client().PostAsync("/score/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, whole.StatusCode);
        Assert.Equal("application/problem+json", whole.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await Json(whole))["errors"]!.AsObject());
        Assert.Equal("$.lead", error.Key);
        Assert.Equal("is not a known property; did you mean 'leads'?", error.Value![0]!.GetValue<string>());
    }

    private async Task<double> ScoresCounted() =>
        (await _api.Client(key: null).GetStringAsync("/metrics")).Split('\n')
            .Where(l => l.StartsWith("leadml_scores_total{model=\"sample\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Batch_OverTheLimit_IsRefused()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:BatchLimit", "2"), ("LeadML:WatchBundles", "false"));
        var body = new { leads = new[] { Lead(id: "1"), Lead(id: "2"), Lead(id: "3") } };
        var r = await api.Client().PostAsJsonAsync("/score/batch", body);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True((await Json(r))["errors"]!.AsObject().ContainsKey("$.leads"));
    }

    [Fact]
    public async Task Keys_MissingWrongAndUnderprivileged_Are401And403Problems()
    {
        var none = await _api.Client(key: null).PostAsJsonAsync("/score", Lead());
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Client("wrong").PostAsJsonAsync("/score", Lead())).StatusCode);
        var scoringOnAdmin = await _api.Client().PostAsync("/admin/models/sample/reload", null);
        Assert.Equal(HttpStatusCode.Forbidden, scoringOnAdmin.StatusCode);
        Assert.Equal("application/problem+json", scoringOnAdmin.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await _api.Client(ApiFactory.AdminKey).PostAsync("/admin/models/sample/reload", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Client(ApiFactory.AdminKey).PostAsJsonAsync("/score", Lead())).StatusCode);
    }

    [Fact]
    public async Task Operations_HealthMetricsAndSwagger()
    {
        var c = _api.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/health/ready")).StatusCode);
        await _api.Client().PostAsJsonAsync("/score", Lead());
        var metrics = await c.GetStringAsync("/metrics");
        Assert.Contains("leadml_scores_total{model=\"sample\"", metrics, StringComparison.Ordinal);
        Assert.Contains("leadml_model_info", metrics, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds", metrics, StringComparison.Ordinal);
        var swagger = JsonNode.Parse(await c.GetStringAsync("/swagger/v1/swagger.json"))!;
        Assert.NotNull(swagger["paths"]!["/score"]);
        var batch = swagger["paths"]!["/score/batch"]!["post"]!;
        Assert.Equal("#/components/schemas/BatchScoreRequest", batch["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/BatchScoreResponse", batch["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(["explain", "features"], batch["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.NotNull(swagger["components"]!["schemas"]!["BatchScoreRequest"]!["properties"]!["leads"]);
        Assert.Equal("X-Api-Key", swagger["components"]!["securitySchemes"]!["X-Api-Key"]!["name"]!.GetValue<string>());
        // Examples a developer can send as they are (OpenAPI 3.1: a list of examples).
        var request = swagger["components"]!["schemas"]!["ScoreRequest"]!["properties"]!;
        Assert.Equal("Software", request["attributes"]!["examples"]![0]!["industry"]!.GetValue<string>());
        Assert.Equal("page_view", request["events"]!["examples"]![0]![0]!["type"]!.GetValue<string>());
        // Dates read by the Api's own rule are still described as dates and times.
        Assert.Equal("date-time", request["createdAt"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestSizeLimit_IsEnforced()
    {
        using var api = ApiFactory.For(bundle.Directory, ("LeadML:MaxRequestBytes", "2000"), ("LeadML:WatchBundles", "false"));
        var big = new { attributes = new Dictionary<string, object?> { ["industry"] = new string('x', 5000) } };
        var r = await api.Client().PostAsJsonAsync("/score", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
    }
}
