using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LeadML.Api.Alerts;
using LeadML.Api.Tests.Fixtures;
using LeadML.Api.Tests.Outcomes;
using Microsoft.OpenApi;

namespace LeadML.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/swagger/v1/swagger.json</c> is enough to integrate the Api from: valid OpenAPI 3.1
/// (Microsoft.OpenApi's reader and its validation rules), every reference resolved and no .NET name in it; and, for
/// every operation there is and any added later, its error answers as problem+json, a schema for its success answer,
/// a description for every parameter, and an example of every body that its own schema accepts. Then the document is
/// held to the running Api: its examples are sent, and every answer must have a status and a body the document lists.
/// </summary>
[Collection(BundleCollection.Name)]
public sealed partial class OpenApiDocumentTests(TrainedBundle bundle) : IDisposable
{
    private readonly SqliteApi _api = new(bundle.Directory, DateTimeOffset.UtcNow, ("LeadML:WatchBundles", "false"));

    public void Dispose() => _api.Dispose();

    private async Task<string> Text() => await _api.Client.GetStringAsync("/swagger/v1/swagger.json");

    private async Task<JsonObject> Document() => JsonNode.Parse(await Text())!.AsObject();

    [Fact]
    public async Task Document_IsValidOpenApi31_ForTheValidator()
    {
        var read = OpenApiDocument.Parse(await Text(), "json");
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic!.SpecificationVersion);
        Assert.True(read.Diagnostic.Errors.Count == 0, string.Join("\n", read.Diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        var document = read.Document!;
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.True(document.Paths.Count >= 27, $"{document.Paths.Count} paths");
        Assert.NotNull(document.Webhooks?["alert"]);
    }

    [Fact]
    public async Task EveryReference_Resolves_AndNoInternalNameIsShown()
    {
        var document = await Document();
        var problems = new List<string>();
        Walk(document, "#", (node, at) =>
        {
            if (node["$ref"]?.GetValue<string>() is { } reference && SchemaCheck.Resolve(reference, document) is null) problems.Add($"{at}: unresolved {reference}");
            foreach (var key in new[] { "description", "summary" })
            {
                if (node[key] is JsonValue value && value.TryGetValue<string>(out var text) && Leak().Match(text) is { Success: true } m) problems.Add($"{at}/{key}: shows '{m.Value}'");
            }
        });
        foreach (var (name, _) in document["components"]!["schemas"]!.AsObject())
        {
            if (!Regex.IsMatch(name, "^[A-Z][A-Za-z]*$") || InternalName().IsMatch(name)) problems.Add($"schema name '{name}' is a .NET name");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryOperation_ListsItsErrorAnswers_AsProblemJson()
    {
        var document = await Document();
        var problems = DocumentChecks.ErrorAnswers(document);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var errors = document["components"]!["schemas"]!["Problem"]!["properties"]!["errors"]!;
        Assert.Equal("array", errors["additionalProperties"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task EveryOperation_HasASuccessAnswer_WithASchema_AndEveryParameterIsDescribed()
    {
        var problems = DocumentChecks.SuccessAnswers(await Document());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryFieldARequestSends_IsDescribed()
    {
        var document = await Document();
        var problems = DocumentChecks.RequestFields(document, out var schemas);
        Assert.True(schemas >= 15, $"{schemas} request schemas");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryFieldOfEveryAnswer_IsDescribed()
    {
        var problems = DocumentChecks.AllFields(await Document());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryBody_HasAnExample_ThatItsSchemaAccepts()
    {
        var problems = DocumentChecks.Examples(await Document(), out var bodies);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(bodies > 250, $"{bodies} bodies");
    }

    [Fact]
    public async Task Schemas_SayWhatTheApiReads_AttributeTypesEnumsAndLimits()
    {
        var document = await Document();
        var schemas = document["components"]!["schemas"]!;
        foreach (var type in new[] { "ScoreRequest", "LeadRequest" })
        {
            var values = schemas[type]!["properties"]!["attributes"]!["additionalProperties"]!["type"]!.AsArray().Select(t => t!.GetValue<string>());
            Assert.Equal(["boolean", "null", "number", "string"], values.Order());
        }
        // Enums as the rule-set answers write them (and the Api reads them).
        Assert.Equal(["eq", "gte", "lt", "between", "missing", "present"], schemas["ConditionOp"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["fit", "engagement"], schemas["CriterionGroup"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()));
        var kind = document["paths"]!["/alerts"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "kind")!;
        Assert.Equal([AlertRule.SalesReady, AlertRule.GoneCold], kind["schema"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()));
        // The limits the handlers check.
        Assert.Equal(10_000, schemas["BatchScoreRequest"]!["properties"]!["leads"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(10_000, schemas["BulkEventsRequest"]!["properties"]!["events"]!["maxItems"]!.GetValue<int>());
        var limit = document["paths"]!["/alerts"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "limit")!["schema"]!;
        Assert.Equal((1, 1000), (limit["minimum"]!.GetValue<int>(), limit["maximum"]!.GetValue<int>()));
        Assert.Contains("33,554,432 bytes", document["paths"]!["/score"]!["post"]!["responses"]!["413"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        // The real success statuses.
        Assert.NotNull(document["paths"]!["/rulesets/{model}/drafts"]!["post"]!["responses"]!["201"]);
        Assert.Null(document["paths"]!["/rulesets/{model}/drafts"]!["post"]!["responses"]!["200"]);
        Assert.NotNull(document["paths"]!["/rulesets/{model}/{version}/restore"]!["post"]!["responses"]!["201"]);
    }

    [Fact]
    public async Task Webhook_DescribesThePayload_TheHeaders_AndTheSignatureAsSent()
    {
        var document = await Document();
        var post = document["webhooks"]!["alert"]!["post"]!;
        var schema = post["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal("#/components/schemas/AlertPayload", schema["$ref"]!.GetValue<string>());
        var payload = SchemaCheck.Resolve(schema["$ref"]!.GetValue<string>(), document)!;
        Assert.Equal(["cause", "criteria", "event", "grade", "kind", "leadId", "reason", "score"],
            payload["properties"]!.AsObject().Select(p => p.Key).Where(k => k is "cause" or "criteria" or "event" or "grade" or "kind" or "leadId" or "reason" or "score").Order());
        var headers = post["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!);
        Assert.Equal([WebhookSignature.Header, WebhookSignature.EventHeader, WebhookSignature.DeliveryHeader, WebhookSignature.IdempotencyHeader, "User-Agent"], headers.Keys);
        Assert.All(headers.Values, h => Assert.Equal("header", h["in"]!.GetValue<string>()));
        // What the Api really sends matches the documented forms.
        var signature = WebhookSignature.Sign("secret", DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes("{}"));
        Assert.Matches(headers[WebhookSignature.Header]["schema"]!["pattern"]!.GetValue<string>(), signature);
        Assert.Matches(headers["User-Agent"]["schema"]!["pattern"]!.GetValue<string>(), WebhookSignature.UserAgent);
        Assert.Contains(WebhookSignature.EventType(AlertRule.GoneCold), headers[WebhookSignature.EventHeader]["schema"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()));
        var description = post["description"]!.GetValue<string>();
        Assert.Contains("HMAC-SHA256", description, StringComparison.Ordinal);
        Assert.Contains($"{WebhookSignature.ReplayWindow.TotalMinutes:0} minutes", description, StringComparison.Ordinal);
        Assert.NotNull(post["responses"]!["2XX"]);
    }

    [Fact]
    public async Task DocumentedExamples_AreAccepted_AndEveryAnswerIsOneTheDocumentLists()
    {
        var document = await Document();
        var problems = new List<string>();
        var reviewer = _api.Factory.CreateClient();
        reviewer.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ReviewerKey);
        var anonymous = _api.Factory.CreateClient();

        async Task Send(HttpClient client, string method, string template, string url, bool withExample = true, string? body = null, string? contentType = null)
        {
            var op = document["paths"]![template]![method]!;
            var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
            body ??= withExample ? op["requestBody"]?["content"]?["application/json"]?["example"]?.ToJsonString() : null;
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/json");
            using var response = await client.SendAsync(request);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = await response.Content.ReadAsStringAsync();
            var name = $"{method.ToUpperInvariant()} {url} → {status}";
            if (op["responses"]![status] is not JsonObject documented)
            {
                problems.Add($"{name}: status not in the document ({text})");
                return;
            }
            var type = response.Content.Headers.ContentType?.MediaType;
            if (documented["content"] is not JsonObject content) return;
            if (type is null || content[type]?["schema"] is not { } schema)
            {
                problems.Add($"{name}: answered as '{type}', documented as {string.Join(", ", content.Select(c => c.Key))}");
                return;
            }
            if (type.EndsWith("json", StringComparison.Ordinal))
            {
                problems.AddRange(SchemaCheck.Problems(JsonNode.Parse(text), schema, document).Select(p => $"{name}: {p}"));
            }
        }

        var client = _api.Client;
        await Send(client, "post", "/score", "/score");
        await Send(client, "post", "/score", "/score?explain=false&features=true");
        await Send(client, "post", "/score/batch", "/score/batch");
        await Send(client, "put", "/leads/{id}", "/leads/L000123");
        await Send(client, "post", "/leads/{id}/events", "/leads/L000123/events");
        await Send(client, "post", "/events", "/events");
        await Send(client, "get", "/leads/{id}", "/leads/L000123");
        await Send(client, "get", "/leads/{id}/history", "/leads/L000123/history");
        await Send(client, "post", "/leads/{id}/conversion", "/leads/L000123/conversion");
        await Send(client, "get", "/alerts", "/alerts");
        await Send(client, "get", "/alerts/deliveries", "/alerts/deliveries");
        await Send(client, "get", "/outcomes", "/outcomes");
        await Send(client, "get", "/models", "/models");
        await Send(client, "get", "/drift", "/drift");
        await Send(reviewer, "get", "/rulesets/{model}", "/rulesets/sample");
        await Send(reviewer, "get", "/rulesets/{model}/features", "/rulesets/sample/features");
        await Send(reviewer, "post", "/rulesets/{model}/drafts", "/rulesets/sample/drafts");
        await Send(reviewer, "put", "/rulesets/{model}/{version}", "/rulesets/sample/1");
        await Send(reviewer, "get", "/rulesets/{model}/{version}", "/rulesets/sample/1");
        await Send(reviewer, "get", "/rulesets/{model}/diff", "/rulesets/sample/diff?from=0&to=1");
        await Send(reviewer, "get", "/rulesets/{model}/whatif", "/rulesets/sample/whatif?version=1");
        await Send(reviewer, "post", "/rulesets/{model}/whatif/lead", "/rulesets/sample/whatif/lead");
        await Send(reviewer, "get", "/rulesets/{model}/{version}/impact", "/rulesets/sample/1/impact");
        await Send(reviewer, "post", "/rulesets/{model}/impact", "/rulesets/sample/impact", body: "{\"version\":1}");
        await Send(reviewer, "post", "/rulesets/{model}/{version}/approve", "/rulesets/sample/1/approve");
        await Send(reviewer, "post", "/rulesets/{model}/{version}/restore", "/rulesets/sample/0/restore");
        await Send(reviewer, "get", "/rulesets/{model}/audit", "/rulesets/sample/audit");
        await Send(_api.Admin, "get", "/admin/models/{name}/promotions", "/admin/models/sample/promotions");
        await Send(_api.Admin, "delete", "/leads/{id}/conversion", "/leads/L000123/conversion");
        await Send(_api.Admin, "post", "/admin/models/{name}/rescore", "/admin/models/sample/rescore");
        await Send(_api.Admin, "post", "/admin/models/{name}/rescore", "/admin/models/sample/rescore", body: "{\"asOf\":\"2030-01-07T09:00:00\"}");
        await Send(client, "post", "/admin/models/{name}/rescore", "/admin/models/sample/rescore");
        // Refusals, each as the document says.
        await Send(client, "get", "/leads/{id}", "/leads/nobody");
        await Send(client, "get", "/alerts", "/alerts?limit=5000");
        await Send(client, "get", "/alerts", "/alerts?since=garbage");
        await Send(client, "post", "/score", "/score", body: "{\"atributes\":{}}");
        await Send(client, "post", "/score", "/score", body: "industry=Software", contentType: "text/plain");
        await Send(client, "put", "/leads/{id}", "/leads/L000123", body: "not json");
        await Send(client, "post", "/score", "/score", body: "{\"model\":\"nope\"}");
        await Send(anonymous, "get", "/models", "/models");
        await Send(client, "post", "/rulesets/{model}/drafts", "/rulesets/sample/drafts");
        await Send(_api.Admin, "put", "/rulesets/{model}/{version}", "/rulesets/sample/1");
        await Send(client, "delete", "/leads/{id}", "/leads/L000123");
        await Send(_api.Admin, "delete", "/leads/{id}", "/leads/L000123");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static void Walk(JsonNode? node, string at, Action<JsonObject, string> visit)
    {
        switch (node)
        {
            case JsonObject o:
                visit(o, at);
                foreach (var (key, child) in o)
                {
                    // Examples are data, not documentation.
                    if (key is not "example" and not "examples") Walk(child, $"{at}/{key}", visit);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) Walk(a[i], $"{at}/{i}", visit);
                break;
        }
    }

    /// <summary>What a reader of the document must never see: a namespace-qualified .NET name, an unrendered doc
    /// reference, a .NET generic or framework type.</summary>
    [GeneratedRegex(@"LeadML\.(Api|Features)\.|System\.[A-Z]|cref=|<see|<paramref|\b[TPMF]:[A-Z]|[A-Za-z]`\d|\bJson(Node|Object|Element)\b|\bList<|\bDictionary<|\bNullable<")]
    private static partial Regex Leak();

    [GeneratedRegex("^(List|Dictionary|Enumerable|IEnumerable|IReadOnly|Nullable|Object)|Json(Node|Object|Element)|Int32|Int64|Double|Boolean|String|ProblemDetails|ValidationProblem|HttpResult")]
    private static partial Regex InternalName();
}
