using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using LeadML.Api.Alerts;
using LeadML.Api.Leads;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Store;
using LeadML.Features.Randomness;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace LeadML.Api.Tests.Contract;

/// <summary>
/// The Api's contract under bad input, as a property: thousands of generated bad or mutated requests (wrong types,
/// unknown and misspelled names, non-finite and huge numbers, bad dates, bytes that are not UTF-8, truncated and
/// duplicated parts, bodies and URLs over their limits, wrong content types) across every endpoint the app maps, against
/// the Api on a SQLite store. None is answered 5xx; every error is problem+json, every 400 naming a path; the Api keeps
/// scoring after each; and no refused request changes a row of the store. The sequence is generated from one CsCheck
/// seed (<see cref="SeedVariable"/> to replay another); a failure prints the seed, the request's place and the request.
/// </summary>
[Collection(BundleCollection.Name)]
public sealed class BadRequestTests(TrainedBundle bundle, ITestOutputHelper output) : IDisposable
{
    private const int Requests = 2000;
    private const string DefaultSeed = "0000leadml18";
    private const string SeedVariable = "LEADML_CONTRACT_SEED";
    private const int MaxRequestBytes = 1024 * 1024;

    private readonly string _folder = Directory.CreateTempSubdirectory("leadml-contract-").FullName;
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private WebApplicationFactory<Program>? _factory;
    private SqliteConnection? _reader;
    private long _dataVersion;
    private string? _checksum;

    private string DatabasePath => Path.Combine(_folder, "leadml.db");

    private DateTimeOffset Now => _clock.GetUtcNow();

    public void Dispose()
    {
        _reader?.Dispose();
        _factory?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, true);
    }

    [Fact]
    public async Task GeneratedBadRequests_OnEveryEndpoint_AreProblemsThatChangeNothing()
    {
        _factory = ApiFactory.For(bundle.CopyTo(), ("LeadML:Store:Provider", "sqlite"), ("LeadML:Store:Path", DatabasePath),
                ("LeadML:WatchBundles", "false"), ("LeadML:MaxRequestBytes", MaxRequestBytes.ToString(CultureInfo.InvariantCulture)))
            .WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            {
                s.AddSingleton<TimeProvider>(_clock);
                // Only the requests may change the store: the background rescoring and alert delivery are not started.
                foreach (var d in s.Where(d => d.ServiceType == typeof(IHostedService) && (d.ImplementationType == typeof(RescoringService) || d.ImplementationType == typeof(AlertDelivery))).ToList())
                {
                    s.Remove(d);
                }
            }));
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var examples = await SeedStoreAsync(client);
        var targets = Targets(examples);
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } s ? s : DefaultSeed;
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var spent = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var plan = Gen.Select(Gen.Int[0, targets.Count - 1], Gen.Int[0, Mutations.Length - 1], Gen.Long).Array[Requests];

        await plan.SampleAsync(async steps =>
        {
            var stored = Checksum();
            for (var i = 0; i < steps.Length; i++)
            {
                var (t, m, sub) = steps[i];
                var request = Mutate(targets[t], Mutations[m], new Xoshiro256((ulong)sub));
                var place = $"seed {seed} ({SeedVariable}), request {i + 1} of {steps.Length}, {Mutations[m]}: {request}";
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (status, text) = await WithPlace(place, () => SendAsync(client, request));
                spent[$"{targets[t].Method} {targets[t].Pattern}"] = spent.GetValueOrDefault($"{targets[t].Method} {targets[t].Pattern}") + clock.Elapsed;
                string Fail(string what) => $"{place}\n→ {status} {Cut(text, 2000)}\n{what}";

                tally[$"{targets[t].Method} {targets[t].Pattern} {status}"] = tally.GetValueOrDefault($"{targets[t].Method} {targets[t].Pattern} {status}") + 1;
                Assert.True(status < 500, Fail("a 5xx answer"));
                var now = Checksum();
                if (status >= 400)
                {
                    CheckProblem(status, text, Fail);
                    Assert.True(now == stored, Fail("the store changed, though the request was refused"));
                }
                stored = now;
                var score = await client.PostAsync("/score", Json(Lead("alive")));
                Assert.True(score.StatusCode == HttpStatusCode.OK, Fail($"the Api stopped scoring: {(int)score.StatusCode} {await score.Content.ReadAsStringAsync()}"));
            }
        }, iter: 1, threads: 1, seed: seed, print: steps => $"{steps.Length} requests");

        foreach (var (key, count) in tally) output.WriteLine($"{count,5}  {key}");
        output.WriteLine($"time answering: {spent.Values.Sum(t => t.TotalSeconds):N1} s, most by "
            + string.Join(", ", spent.OrderByDescending(k => k.Value).Take(6).Select(k => $"{k.Key} {k.Value.TotalSeconds:N1} s")));
        foreach (var target in targets)
        {
            var sent = tally.Where(k => k.Key.StartsWith($"{target.Method} {target.Pattern} ", StringComparison.Ordinal)).Sum(k => k.Value);
            Assert.True(sent >= 10, $"{target.Method} {target.Pattern} got only {sent} requests");
        }
    }

    /// <summary>What a problem answer must hold: problem+json with its status and title; a 400 names the path of each
    /// error (a JSON path, or the query or route parameter), any other error the request's path (<c>instance</c>).</summary>
    private static void CheckProblem(int status, string text, Func<string, string> fail)
    {
        JsonNode? problem = null;
        try
        {
            problem = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        Assert.True(problem is JsonObject, fail("the error is not a JSON object"));
        Assert.True(problem!["status"]?.GetValue<int>() == status, fail("the problem's status is not the answer's"));
        Assert.True(problem["title"] is not null, fail("the problem has no title"));
        foreach (var leak in (string[])["System.", "`1", "LeadML.", "Nullable<", "Exception"])
        {
            Assert.True(!text.Contains(leak, StringComparison.Ordinal), fail($"the problem names '{leak}'"));
        }
        if (status != 400)
        {
            // Not about one field: the problem names the request it is about (a URL too long is not echoed).
            Assert.True(status == 414 || problem["instance"]?.GetValue<string>() is { Length: > 0 }, fail("the problem names no path (instance)"));
            return;
        }
        var errors = problem["errors"] as JsonObject;
        Assert.True(errors is { Count: > 0 }, fail("a 400 problem without errors naming a path"));
        foreach (var (path, messages) in errors!)
        {
            Assert.True(path.Length > 0 && messages is JsonArray { Count: > 0 }, fail($"the error at '{path}' has no path or no message"));
        }
    }

    // ---- the requests ----------------------------------------------------------------------------------------------

    private enum Mutation
    {
        None, WrongType, UnknownName, Misspelled, NonFinite, HugeNumber, BadDate, NotUtf8, Truncated, DuplicateName, KnownId,
        Oversize, EmptyOrNull, WrongContentType, DeepNesting, BadQuery, BadRoute,
    }

    private static readonly Mutation[] Mutations = Enum.GetValues<Mutation>();

    /// <summary>An endpoint as mapped (method and route pattern), the query names its handler reads, and a valid body
    /// when it takes one.</summary>
    private sealed record Target(string Method, string Pattern, IReadOnlyList<(string Name, Type Type)> Query, JsonNode? Body);

    private sealed record Request(string Method, string Url, string? ContentType, byte[]? Body)
    {
        public override string ToString() => $"{Method} {Cut(Url, 300)} [{ContentType ?? "no content type"}] {(Body is null ? "no body" : Preview(Body))}";
    }

    /// <summary>Every endpoint the app maps, from its endpoint data source (an endpoint added later is covered too).</summary>
    private List<Target> Targets(IReadOnlyDictionary<string, JsonNode> examples)
    {
        var targets = new List<Target>();
        foreach (var e in _factory!.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = e.RoutePattern.RawText ?? "/";
            if (!pattern.StartsWith('/')) pattern = "/" + pattern;
            if (pattern.Length > 1) pattern = pattern.TrimEnd('/');
            var query = new List<(string, Type)>();
            if (e.Metadata.GetMetadata<System.Reflection.MethodInfo>() is { } handler)
            {
                foreach (var p in handler.GetParameters())
                {
                    var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
                    if (p.Name is not null && e.RoutePattern.GetParameter(p.Name) is null && (type.IsPrimitive || type == typeof(string) || type == typeof(DateTimeOffset)))
                    {
                        query.Add((p.Name, type));
                    }
                }
            }
            var accepts = e.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
            foreach (var method in e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var body = examples.GetValueOrDefault($"{method} {pattern}");
                targets.Add(new Target(method, pattern, query, body ?? (accepts ? new JsonObject() : null)));
            }
        }
        return targets;
    }

    private Request Mutate(Target target, Mutation mutation, Xoshiro256 rng)
    {
        var route = Route(target.Pattern, mutation == Mutation.BadRoute, rng);
        var query = Query(target.Query, mutation == Mutation.BadQuery || target.Body is null && mutation != Mutation.None, rng);
        var url = route + (query.Length > 0 ? "?" + query : "");
        if (target.Body is null)
        {
            // An endpoint without a body gets its mutations in the URL, and sometimes a body it does not read.
            if (mutation == Mutation.Oversize) url += (query.Length > 0 ? "&" : "?") + "x=" + new string('a', 9000);
            if (mutation == Mutation.Truncated && url.Length > 1) url = url[..(1 + rng.NextInt(url.Length - 1))];
            if (mutation == Mutation.NotUtf8) url += (url.Contains('?') ? "&" : "?") + "since=%FF%FE";
            return mutation == Mutation.WrongContentType
                ? new Request(target.Method, url, "application/json", [.. "{\"a\":"u8, 0xC3, .. "}"u8])
                : new Request(target.Method, url, null, null);
        }
        var body = target.Body.DeepClone();
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (mutation)
        {
            case Mutation.WrongType:
                Replace(ref body, rng, _ => Pick(rng, (JsonNode?[])[new JsonArray(), new JsonObject(), "x", 12, true, null, new JsonArray(1, 2)]));
                break;
            case Mutation.UnknownName:
                if (Objects(body, rng) is { } o) o[Pick(rng, ["foo", "attribute", "event", "created_at", "Events", "eventID", "x-y", "métier"])] = 1;
                break;
            case Mutation.Misspelled:
                if (Objects(body, rng) is { } obj && obj.Count > 0)
                {
                    var name = obj.ElementAt(rng.NextInt(obj.Count)).Key;
                    var value = obj[name];
                    obj.Remove(name);
                    obj[Typo(name, rng)] = value?.DeepClone();
                }
                break;
            case Mutation.NonFinite:
                Replace(ref body, rng, _ => Raw(raw, Pick(rng, ["1e400", "-1e400", "\"Infinity\"", "\"NaN\"", "\"-Infinity\"", "1e39"])));
                break;
            case Mutation.HugeNumber:
                Replace(ref body, rng, _ => Raw(raw, Pick(rng, ["1.7976931348623157e308", "99999999999999999999999999", "-2147483649", "1e-400", "-0", "4294967296"])));
                break;
            case Mutation.BadDate:
                Replace(ref body, rng, _ => Pick(rng, (JsonNode?[])[
                    $"{Now.AddDays(-1):yyyy-MM-ddTHH:mm:ss}", $"{Now.AddDays(-1):yyyy-MM-dd}", "1899-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
                    "2026-13-01T00:00:00Z", "garbage", $"{Now.AddDays(2):O}", "9999-12-31T23:59:59Z", "2026-02-30T00:00:00Z"]), onlyText: true);
                break;
            case Mutation.DuplicateName:
                if (Objects(body, rng) is { } dup && dup.Count > 0)
                {
                    var name = dup.ElementAt(rng.NextInt(dup.Count)).Key;
                    dup["__duplicate__"] = Pick(rng, (JsonNode?[])[null, "other", 3, new JsonArray()]);
                    raw["\"__duplicate__\""] = System.Text.Json.JsonSerializer.Serialize(name);
                }
                break;
            case Mutation.KnownId:
                Replace(ref body, rng, _ => Pick(rng, (JsonNode?[])["e1", "e2", "L1", "L2", "sample", ""]), onlyText: true);
                break;
            case Mutation.DeepNesting:
                Replace(ref body, rng, _ => Raw(raw, new string('[', 70) + new string(']', 70)));
                break;
            case Mutation.Oversize:
                if (Objects(body, rng) is { } big) big[Pick(rng, ["padding", "detail", "comment"])] = new string('x', MaxRequestBytes);
                break;
        }
        var text = body?.ToJsonString() ?? "null";
        foreach (var (placeholder, value) in raw) text = text.Replace(placeholder is ['"', ..] ? placeholder : $"\"{placeholder}\"", value, StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        switch (mutation)
        {
            case Mutation.NotUtf8:
                var at = rng.NextInt(bytes.Length + 1);
                bytes = [.. bytes[..at], Pick(rng, (byte[])[0xFF, 0xC3, 0xE9, 0x80, 0xED]), .. bytes[at..]];
                break;
            case Mutation.Truncated:
                bytes = bytes[..rng.NextInt(bytes.Length)];
                break;
            case Mutation.EmptyOrNull:
                bytes = Encoding.UTF8.GetBytes(Pick(rng, ["", " ", "null", "[]", "\"text\"", "42", "{}", "{", "}"]));
                break;
        }
        var contentType = mutation == Mutation.WrongContentType ? Pick<string?>(rng, ["text/plain", "application/xml", null, "application/x-www-form-urlencoded"]) : "application/json";
        return new Request(target.Method, url, contentType, bytes);
    }

    private static string Raw(Dictionary<string, string> raw, string text)
    {
        var placeholder = $"__raw{raw.Count}__";
        raw[placeholder] = text;
        return placeholder;
    }

    /// <summary>The route with its parameters filled: known values mostly, unknown or unusable ones when asked.</summary>
    private static string Route(string pattern, bool bad, Xoshiro256 rng) => System.Text.RegularExpressions.Regex.Replace(pattern, "{([^}:]+)(:[^}]*)?}", m =>
        m.Groups[1].Value switch
        {
            "id" => bad ? Pick(rng, ["nobody", "%2F", "x%20y", new string('L', 600), "%FF"]) : Pick(rng, ["L1", "L2", "L3", "nobody"]),
            "model" or "name" => bad ? Pick(rng, ["nosuch", "SAMPLE", "%2E%2E", "sample%20"]) : "sample",
            "version" => bad ? Pick(rng, ["-1", "99999", "2147483648", "abc", "1.5"]) : Pick(rng, ["0", "1", "2"]),
            _ => bad ? "%FF" : "x",
        });

    /// <summary>A query of the handler's parameters: values they take, or (when <paramref name="bad"/>) values they
    /// do not, repeated names and names they do not read.</summary>
    private string Query(IReadOnlyList<(string Name, Type Type)> parameters, bool bad, Xoshiro256 rng)
    {
        var parts = new List<string>();
        foreach (var (name, type) in parameters)
        {
            if (!rng.NextBool(bad ? 0.7 : 0.3)) continue;
            var good = type == typeof(bool) ? Pick(rng, ["true", "false"])
                : type == typeof(int) || type == typeof(long) ? Pick(rng, ["1", "10", "100"])
                : type == typeof(double) ? Pick(rng, ["0.5", "1"])
                : type == typeof(DateTimeOffset) ? Uri.EscapeDataString($"{Now.AddDays(-200):yyyy-MM-ddTHH:mm:ssZ}")
                : Pick(rng, ["sample", "L1", "e1", "sales-ready"]);
            var wrong = type == typeof(DateTimeOffset)
                ? Pick(rng, [$"{Now.AddDays(-1):yyyy-MM-ddTHH:mm:ss}", $"{Now:yyyy-MM-dd}", "1899-01-01T00:00:00Z", "garbage", "%FF", ""])
                : Pick(rng, ["maybe", "lots", "1e400", "NaN", "-1", "99999999999", "", "%FF%FE", "%00", new string('9', 40)]);
            parts.Add($"{name}={(bad && rng.NextBool(0.8) ? wrong : good)}");
            if (bad && rng.NextBool(0.2)) parts.Add($"{name}={good}");
        }
        if (bad && rng.NextBool(0.3)) parts.Add(Pick(rng, ["foo=1", "Explain=false", "LIMIT=5", "x"]));
        return string.Join('&', parts);
    }

    /// <summary>Replaces a random value of the body (the body itself when it has none) by what <paramref name="make"/>
    /// gives; <paramref name="onlyText"/> prefers a string value.</summary>
    private static void Replace(ref JsonNode? body, Xoshiro256 rng, Func<JsonNode?, JsonNode?> make, bool onlyText = false)
    {
        var values = new List<(JsonNode Parent, string? Name, int Index)>();
        Walk(body, values);
        if (onlyText)
        {
            var texts = values.Where(v => Child(v) is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String).ToList();
            if (texts.Count > 0) values = texts;
        }
        if (values.Count == 0)
        {
            body = make(body);
            return;
        }
        var (parent, name, index) = values[rng.NextInt(values.Count)];
        var replacement = make(Child((parent, name, index)));
        if (parent is JsonObject o) o[name!] = replacement;
        else ((JsonArray)parent)[index] = replacement;
    }

    private static JsonNode? Child((JsonNode Parent, string? Name, int Index) v) => v.Parent is JsonObject o ? o[v.Name!] : ((JsonArray)v.Parent)[v.Index];

    private static void Walk(JsonNode? node, List<(JsonNode, string?, int)> into)
    {
        if (node is JsonObject o)
        {
            foreach (var (name, child) in o.ToList())
            {
                into.Add((o, name, -1));
                Walk(child, into);
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                into.Add((a, null, i));
                Walk(a[i], into);
            }
        }
    }

    /// <summary>A random object of the body (the body when it is one and nothing deeper is picked).</summary>
    private static JsonObject? Objects(JsonNode? body, Xoshiro256 rng)
    {
        var all = new List<(JsonNode, string?, int)>();
        Walk(body, all);
        var objects = all.Select(Child).OfType<JsonObject>().Prepend(body as JsonObject).OfType<JsonObject>().ToList();
        return objects.Count == 0 ? null : objects[rng.NextInt(objects.Count)];
    }

    /// <summary>A typo of <paramref name="name"/>: a letter dropped, doubled, swapped or changed, or another case or
    /// separator.</summary>
    private static string Typo(string name, Xoshiro256 rng)
    {
        if (name.Length < 2) return name + "x";
        var i = rng.NextInt(name.Length - 1);
        return rng.NextInt(5) switch
        {
            0 => name.Remove(i, 1),
            1 => name.Insert(i, name[i].ToString()),
            2 => string.Concat(name.AsSpan(0, i), name[i + 1].ToString(), name[i].ToString(), name.AsSpan(i + 2)),
            3 => string.Concat(name.AsSpan(0, i), "q", name.AsSpan(i + 1)),
            _ => string.Concat(name.AsSpan(0, i + 1), "_", name.AsSpan(i + 1).ToString().ToLowerInvariant()),
        };
    }

    private static T Pick<T>(Xoshiro256 rng, T[] choices) => choices[rng.NextInt(choices.Length)];

    // ---- the store and its checksum ------------------------------------------------------------------------------

    private object Lead(string id) => new
    {
        leadId = id, attributes = new Dictionary<string, object?> { ["industry"] = "Software", ["company_size"] = 500, ["country"] = "United States" },
        createdAt = Now.AddDays(-30), events = new[] { new { type = "page_view", detail = "/pricing", timestamp = Now.AddDays(-2) } },
    };

    private static StringContent Json(object value) => new(System.Text.Json.JsonSerializer.Serialize(value, System.Text.Json.JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    /// <summary>Stores two leads with events and a conversion and makes a rule-set draft, so that refused requests have
    /// something to damage; returns a valid body for each endpoint that takes one, by method and route pattern.</summary>
    private async Task<Dictionary<string, JsonNode>> SeedStoreAsync(HttpClient client)
    {
        async Task<JsonNode> Ok(Task<HttpResponseMessage> send)
        {
            var r = await send;
            var text = await r.Content.ReadAsStringAsync();
            Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode} {text}");
            return JsonNode.Parse(text)!;
        }
        var lead = new { attributes = new Dictionary<string, object?> { ["industry"] = "Software", ["company_size"] = 500 }, createdAt = Now.AddDays(-30) };
        var events = new { events = new[] { new { eventId = "e1", type = "page_view", detail = "/pricing", timestamp = Now.AddDays(-2) }, new { eventId = "e2", type = "form_submit", detail = "/demo", timestamp = Now.AddDays(-1) } } };
        await Ok(client.PutAsync("/leads/L1", Json(lead)));
        await Ok(client.PutAsync("/leads/L2", Json(lead)));
        await Ok(client.PostAsync("/leads/L1/events", Json(events)));
        await Ok(client.PostAsync("/leads/L2/conversion", Json(new { value = 1200.0, source = "crm", at = Now.AddHours(-1) })));
        var draft = await Ok(client.PostAsync("/rulesets/sample/drafts", Json(new { from = 0, createdBy = "contract" })));
        var version = (int)draft["summary"]!["version"]!;
        var rules = (await Ok(client.GetAsync($"/rulesets/sample/{version}")))["rules"]!;
        JsonNode Node(object value) => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(value, System.Text.Json.JsonSerializerOptions.Web))!;
        return new Dictionary<string, JsonNode>(StringComparer.Ordinal)
        {
            ["POST /score"] = Node(Lead("L9")),
            ["POST /score/batch"] = Node(new { leads = new[] { Lead("L9"), Lead("L8") } }),
            ["PUT /leads/{id}"] = Node(lead),
            ["PATCH /leads/{id}"] = Node(new { attributes = new { industry = "Retail" } }),
            ["POST /leads/{id}/events"] = Node(new { events = new[] { new { eventId = "e3", type = "email_open", detail = "newsletter", timestamp = Now.AddHours(-3) } } }),
            ["POST /events"] = Node(new { events = new[] { new { leadId = "L1", eventId = "e4", type = "webinar", detail = (string?)null, timestamp = Now.AddHours(-2) } } }),
            ["POST /leads/{id}/conversion"] = Node(new { value = 10.0, source = "crm", at = Now.AddMinutes(-30) }),
            ["POST /rulesets/{model}/drafts"] = Node(new { from = 0, createdBy = "contract" }),
            ["PUT /rulesets/{model}/{version:int}"] = rules.DeepClone(),
            ["POST /rulesets/{model}/whatif"] = Node(new { version = 0 }),
            ["POST /rulesets/{model}/impact"] = Node(new { version = 0 }),
            ["POST /rulesets/{model}/whatif/lead"] = Node(new { rules = new { version = 0 }, lead = Lead("L9") }),
            ["POST /rulesets/{model}/{version:int}/approve"] = Node(new { approvedBy = "contract", comment = "ok" }),
            ["POST /rulesets/{model}/{version:int}/restore"] = Node(new { restoredBy = "contract", comment = "back" }),
            ["POST /admin/models/{name}/compare"] = Node(new { bundle = "no-such-bundle" }),
            ["POST /admin/models/{name}/promote"] = Node(new { bundle = "no-such-bundle", force = false }),
        };
    }

    /// <summary>A hash of every row of every table of the store, read on one read-only connection (each query sees
    /// what was committed before it). It is computed again only when another connection has committed since the last
    /// one (SQLite's <c>data_version</c>): without a commit no row can have changed.</summary>
    private string Checksum()
    {
        if (_reader is null)
        {
            _reader = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
            _reader.Open();
        }
        var c = _reader;
        using (var version = c.CreateCommand())
        {
            version.CommandText = "PRAGMA data_version";
            var now = Convert.ToInt64(version.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (now == _dataVersion && _checksum is not null) return _checksum;
            _dataVersion = now;
        }
        return _checksum = Hash(c);
    }

    private static string Hash(SqliteConnection c)
    {
        var tables = new List<string>();
        using (var list = c.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var r = list.ExecuteReader();
            while (r.Read()) tables.Add(r.GetString(0));
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in tables)
        {
            var rows = new List<string>();
            using var select = c.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var r = select.ExecuteReader();
            while (r.Read())
            {
                var row = new StringBuilder();
                for (var i = 0; i < r.FieldCount; i++) row.Append(r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i) is byte[] b ? Convert.ToHexString(b) : r.GetValue(i), CultureInfo.InvariantCulture)).Append('\u001f');
                rows.Add(row.ToString());
            }
            rows.Sort(StringComparer.Ordinal);
            hash.AppendData(Encoding.UTF8.GetBytes($"{table}\u001e{string.Join('\u001d', rows)}"));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Runs <paramref name="send"/>, naming the request in a failure that is not an answer.</summary>
    private static async Task<T> WithPlace<T>(string place, Func<Task<T>> send)
    {
        try
        {
            return await send();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{place}\nfailed: {e.Message}", e);
        }
    }

    private static async Task<(int Status, string Text)> SendAsync(HttpClient client, Request request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null) message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        }
        using var response = await client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            text = $"(not problem+json: {response.Content.Headers.ContentType?.MediaType ?? "no content type"}) {text}";
        }
        return ((int)response.StatusCode, text);
    }

    /// <summary>A body as text, bytes that are not UTF-8 shown as \xFF.</summary>
    private static string Preview(byte[] body)
    {
        var text = new StringBuilder();
        var at = 0;
        while (at < body.Length && text.Length < 1500)
        {
            if (System.Text.Rune.DecodeFromUtf8(body.AsSpan(at), out var rune, out var used) == System.Buffers.OperationStatus.Done) text.Append(rune.ToString());
            else text.Append(CultureInfo.InvariantCulture, $"\\x{body[at]:X2}");
            at += Math.Max(used, 1);
        }
        return at < body.Length ? $"{text}… ({body.Length:N0} bytes)" : text.ToString();
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : $"{text[..length]}… ({text.Length:N0} characters)";
}
