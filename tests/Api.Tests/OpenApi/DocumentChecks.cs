using System.Globalization;
using System.Text.Json.Nodes;

namespace LeadML.Api.Tests.OpenApi;

/// <summary>
/// What an OpenAPI document must say of every operation it has, checked over the whole document so that an operation
/// added later is held to it too: each check lists what is missing, one line per place, empty when nothing is.
/// </summary>
internal static class DocumentChecks
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

    /// <summary>Every operation of the paths (and of the webhooks), named as in a failure message.</summary>
    public static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject document, bool webhooks = false)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var method in Methods)
            {
                if (item![method] is JsonObject op) yield return ($"{method.ToUpperInvariant()} {path}", op);
            }
        }
        if (!webhooks) yield break;
        foreach (var (name, item) in document["webhooks"]?.AsObject() ?? [])
        {
            foreach (var method in Methods)
            {
                if (item![method] is JsonObject op) yield return ($"webhook {name} {method.ToUpperInvariant()}", op);
            }
        }
    }

    /// <summary>Every operation answers 401, 414, 429 and 500; one with a body also 400, 413 and 415; one with a
    /// parameter that can fail to parse 400; every error is problem+json with the Problem schema, a description and an
    /// example of its own status the schema accepts; 429 names <c>Retry-After</c>.</summary>
    public static List<string> ErrorAnswers(JsonObject document)
    {
        var problems = new List<string>();
        foreach (var (name, op) in Operations(document))
        {
            var responses = op["responses"]!.AsObject();
            var expected = new List<string> { "401", "414", "429", "500" };
            if (op["requestBody"] is not null) expected.AddRange(["400", "413", "415"]);
            if ((op["parameters"]?.AsArray() ?? []).Any(p => p!["schema"]?["type"]?.ToJsonString() is { } t && !t.Contains("string", StringComparison.Ordinal))) expected.Add("400");
            problems.AddRange(expected.Distinct().Where(s => !responses.ContainsKey(s)).Select(s => $"{name}: no {s} answer"));
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                if (string.IsNullOrWhiteSpace(response!["description"]?.GetValue<string>())) problems.Add($"{name} {status}: no description");
                if (response["content"]?["application/problem+json"] is not JsonObject media)
                {
                    problems.Add($"{name} {status}: not application/problem+json");
                    continue;
                }
                if (media["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/Problem") problems.Add($"{name} {status}: not the Problem schema");
                if (media["example"] is not JsonObject example)
                {
                    problems.Add($"{name} {status}: no example");
                    continue;
                }
                problems.AddRange(SchemaCheck.Problems(example, media["schema"]!, document).Select(p => $"{name} {status} example: {p}"));
                if (example["status"]?.GetValue<int>().ToString(CultureInfo.InvariantCulture) != status) problems.Add($"{name} {status}: the example's status differs");
            }
            if (responses["429"] is { } tooMany && tooMany["headers"]?["Retry-After"] is null) problems.Add($"{name} 429: no Retry-After header");
        }
        return problems;
    }

    /// <summary>Every operation has a success answer, with a described body and its schema unless it is 204; every
    /// parameter has a description; a request body is JSON.</summary>
    public static List<string> SuccessAnswers(JsonObject document)
    {
        var problems = new List<string>();
        foreach (var (name, op) in Operations(document))
        {
            var successes = op["responses"]!.AsObject().Where(r => r.Key[0] == '2').ToList();
            if (successes.Count == 0) problems.Add($"{name}: no success answer");
            foreach (var (status, response) in successes.Where(s => s.Key != "204"))
            {
                var content = response!["content"]?.AsObject();
                if (content is not { Count: > 0 }) problems.Add($"{name} {status}: no body described");
                problems.AddRange(content?.Where(c => c.Value?["schema"] is null).Select(c => $"{name} {status} {c.Key}: no schema") ?? []);
            }
            foreach (var p in op["parameters"]?.AsArray() ?? [])
            {
                if (string.IsNullOrWhiteSpace(p!["description"]?.GetValue<string>())) problems.Add($"{name}: parameter '{p["name"]}' has no description");
            }
            if (op["requestBody"]?["content"]?.AsObject() is { } bodies && !bodies.Any(b => b.Key.EndsWith("json", StringComparison.Ordinal)))
            {
                problems.Add($"{name}: the body is not JSON");
            }
        }
        return problems;
    }

    /// <summary>Every property of every schema a request body reaches has a description.</summary>
    public static List<string> RequestFields(JsonObject document, out int schemas)
    {
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        void Reach(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["$ref"]?.GetValue<string>() is { } reference && reached.Add(reference)) Reach(SchemaCheck.Resolve(reference, document));
                    foreach (var (_, child) in o) Reach(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Reach(child);
                    break;
            }
        }
        foreach (var (_, op) in Operations(document)) Reach(op["requestBody"]);
        var problems = new List<string>();
        foreach (var reference in reached)
        {
            foreach (var (name, property) in SchemaCheck.Resolve(reference, document)?["properties"]?.AsObject() ?? [])
            {
                if (string.IsNullOrWhiteSpace(property!["description"]?.GetValue<string>())) problems.Add($"{reference}: '{name}' has no description");
            }
        }
        schemas = reached.Count;
        return problems;
    }

    /// <summary>Every property of every component schema (answers included) has a description.</summary>
    public static List<string> AllFields(JsonObject document) =>
        [.. (document["components"]?["schemas"]?.AsObject() ?? []).SelectMany(schema => (schema.Value!["properties"]?.AsObject() ?? [])
            .Where(p => string.IsNullOrWhiteSpace(p.Value!["description"]?.GetValue<string>()))
            .Select(p => $"{schema.Key}: '{p.Key}' has no description"))];

    /// <summary>Every request and answer body (of the paths and the webhooks) has an example its schema accepts.</summary>
    public static List<string> Examples(JsonObject document, out int bodies)
    {
        var problems = new List<string>();
        bodies = 0;
        foreach (var (name, op) in Operations(document, webhooks: true))
        {
            var all = (op["requestBody"]?["content"]?.AsObject() ?? []).Select(c => ($"{name} request {c.Key}", c.Value!))
                .Concat(op["responses"]!.AsObject().SelectMany(r => (r.Value!["content"]?.AsObject() ?? []).Select(c => ($"{name} {r.Key} {c.Key}", c.Value!))));
            foreach (var (body, media) in all)
            {
                bodies++;
                if (media["example"] is null && media["examples"] is null)
                {
                    problems.Add($"{body}: no example");
                    continue;
                }
                if (media["schema"] is { } schema) problems.AddRange(SchemaCheck.Problems(media["example"], schema, document).Select(p => $"{body}: {p}"));
            }
        }
        return problems;
    }
}
