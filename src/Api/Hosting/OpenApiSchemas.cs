using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LeadML.Api.Alerts;
using LeadML.Api.Leads;
using LeadML.Api.Outcomes;
using LeadML.Api.Scoring;
using LeadML.Features.Evaluation;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LeadML.Api.Hosting;

/// <summary>
/// Makes the schemas say what the Api reads and writes rather than what its .NET types are: attribute values as a
/// string, number, boolean or null; enums spelled as the Api writes them (camelCase; it reads any case); alert kinds
/// as their kebab-case words; a comparison by its own schema; the limits the handlers check as bounds
/// (<c>maxItems</c> of a batch, <c>maxLength</c> of ids). Then drops the component schemas no operation or webhook
/// reaches (the framework's own problem types), so the document names no internal type.
/// </summary>
internal sealed partial class OpenApiSchemas(IOptions<LeadMlOptions> options) : ISchemaFilter, IDocumentFilter
{
    private static readonly NullabilityInfoContext Nullability = new();

    private static readonly string[] AlertKinds = [AlertRule.SalesReady, AlertRule.GoneCold];

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema s) return;
        var type = context.Type;
        if (type.IsEnum)
        {
            s.Enum = [.. Enum.GetNames(type).Select(n => (JsonNode)JsonNamingPolicy.CamelCase.ConvertName(n))];
            return;
        }
        if (s.Properties is not { Count: > 0 } properties) return;
        // A body built by setting properties (a request) needs only what it marks required; one built through its
        // constructor (an answer) writes every property.
        if (s.Required is { Count: > 0 } required && type.GetConstructor(Type.EmptyTypes) is not null)
        {
            foreach (var property in type.GetProperties())
            {
                if (property.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is null
                    && property.GetCustomAttribute<System.ComponentModel.DataAnnotations.RequiredAttribute>() is null)
                {
                    required.Remove(JsonNamingPolicy.CamelCase.ConvertName(property.Name));
                }
            }
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!properties.TryGetValue(name, out var found) || found is not OpenApiSchema p) continue;
            if (property.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType == typeof(AttributeTextConverter)) Attributes(p);
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            // A reference cannot say null by itself: a nullable object property is that object or null.
            if (properties.TryGetValue(name, out var referenced) && referenced is OpenApiSchemaReference reference
                && Nullability.Create(property).ReadState == NullabilityState.Nullable)
            {
                properties[name] = new OpenApiSchema { AnyOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }], Description = reference.Description };
            }
            if (property.PropertyType == typeof(JsonObject))
            {
                properties[name] = context.SchemaGenerator.GenerateSchema(typeof(ComparisonResult), context.SchemaRepository);
            }
        }
        foreach (var (name, property) in properties)
        {
            if (property is OpenApiSchema { Description: null or "" } undescribed
                && (Meanings.GetValueOrDefault($"{type.Name}.{name}") ?? Meanings.GetValueOrDefault(name)) is { } meaning)
            {
                undescribed.Description = meaning;
            }
        }
        var batch = options.Value.BatchLimit;
        switch (type.Name)
        {
            case nameof(BatchScoreRequest):
                Items(properties, "leads", batch, $"At most {batch:N0} leads per request (`LeadML:BatchLimit`).");
                break;
            case nameof(LeadEventsRequest) or nameof(BulkEventsRequest):
                Items(properties, "events", batch, $"At most {batch:N0} events per request (`LeadML:BatchLimit`).");
                break;
            case nameof(LeadEventRequest):
                Length(properties, "eventId", OpenApiParameters.MaxIdLength);
                Length(properties, "leadId", OpenApiParameters.MaxIdLength);
                break;
            case nameof(ConversionRequest):
                Length(properties, "source", OpenApiParameters.MaxIdLength);
                if (Find(properties, "value") is OpenApiSchema value) value.Minimum = "0";
                break;
            case nameof(LeadScoreSummary):
                Kinds(properties, "alert", nullable: true);
                break;
            case nameof(AlertDto) or nameof(AlertPayload):
                Kinds(properties, "kind", nullable: false);
                if (Find(properties, "event") is OpenApiSchema e) e.Enum = [.. AlertKinds.Select(k => (JsonNode)WebhookSignature.EventType(k))];
                break;
        }
    }

    /// <summary>What a field means where its contract does not say: by <c>Type.field</c>, else by the field's name,
    /// which means the same in every answer that has it.</summary>
    private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
    {
        ["leadId"] = "Your id for the lead.",
        ["model"] = "The scoring model's name.",
        ["modelVersion"] = "The version of the model's bundle.",
        ["ruleSetVersion"] = "The rule set that scored: `v3` for an approved version, `suggested` for the bundle's own.",
        ["ruleSetSource"] = "`approved` (a reviewed version) or `suggested` (the bundle's own); `draft` for a rule set tried before approval (`POST /rulesets/{model}/whatif/lead`).",
        ["score"] = "The score, 0–100.",
        ["previousScore"] = "The score before this change, 0–100; null when the lead had none.",
        ["grade"] = "The grade band the score falls in, e.g. `A`.",
        ["salesReady"] = "Whether the lead is sales-ready: its score reached the threshold and has not fallen below the threshold minus the hysteresis since.",
        ["key"] = "The alert's key: the same on every delivery attempt (the webhook's `Idempotency-Key`).",
        ["alertKey"] = "The alert's key.",
        ["kind"] = "`sales-ready` or `gone-cold`.",
        ["threshold"] = "The sales-ready threshold in force, 0–100.",
        ["hysteresis"] = "How far below the threshold (points) a sales-ready lead must fall to go cold.",
        ["reason"] = "Why the lead was scored: `event`, `attributes`, `rescoring` (time passing), `rescoring as of` (an administrator's rescoring as of a later time, a test), `new rule set`, `new model`, `conversion` or `conversion undone`.",
        ["raisedAt"] = "When the alert was raised.",
        ["deliveredAt"] = "When every webhook had accepted it; null while it is being delivered.",
        ["attempts"] = "Delivery attempts so far.",
        ["lastError"] = "What the last failed attempt got (`HTTP 503`, `timed out`); null when none failed.",
        ["at"] = "When it happened.",
        ["asOf"] = "The time the lead was scored at: events at or after it are not counted.",
        ["createdAt"] = "When it was created.",
        ["createdBy"] = "Who created it.",
        ["approvedAt"] = "When it was approved; null for a draft.",
        ["approvedBy"] = "Who approved it; null for a draft.",
        ["comment"] = "The approver's comment.",
        ["actor"] = "Who did it.",
        ["detail"] = "What it was about.",
        ["eventId"] = "Your id for the event.",
        ["type"] = "The event type, e.g. `page_view`.",
        ["timestamp"] = "When the event happened.",
        ["id"] = "The criterion's id.",
        ["label"] = "What a person reads.",
        ["feature"] = "The feature's name.",
        ["points"] = "Points, −100 to 100.",
        ["countedPoints"] = "The points counted after the caps.",
        ["enabled"] = "Whether it counts; a disabled criterion stays in the rule set.",
        ["condition"] = "When it fires, in words.",
        ["group"] = "`fit` (who the lead is) or `engagement` (what the lead did).",
        ["basePoints"] = "Points every lead starts with.",
        ["criteria"] = "The criteria.",
        ["version"] = "The rule-set version; 0 is the bundle's suggestion.",
        ["basedOn"] = "The version it was copied from.",
        ["from"] = "The version compared from.",
        ["to"] = "The version compared to.",
        ["old"] = "The value before.",
        ["new"] = "The value after.",
        ["minScore"] = "The lowest score in the grade, 0–100.",
        ["leads"] = "How many leads.",
        ["conversions"] = "How many of them converted.",
        ["conversionRate"] = "Conversions / leads, 0–1.",
        ["rows"] = "Leads × cut-off months evaluated.",
        ["months"] = "Cut-off months evaluated.",
        ["message"] = "What happened, in plain words.",
        ["bundle"] = "The bundle's folder.",
        ["formatVersion"] = "The rule-set file format.",
        ["capGroups"] = "Caps on the points groups of criteria add or remove together.",
        ["name"] = "The name.",
        ["negative"] = "Whether higher values make conversion less likely.",
        ["observed"] = "Values observed since the bundle was loaded.",
        ["psi"] = "Population stability index against training; null before enough traffic.",
        ["band"] = "`stable` (below 0.1), `moderate` (0.1–0.25) or `significant` (above).",
        ["BatchError.path"] = "The JSON path of the field at fault, e.g. `$.leads[3].events[0].timestamp`.",
        ["BatchError.message"] = "What is wrong with it, in plain words.",
        ["BatchItem.index"] = "The lead's place in the request's `leads`, from 0.",
        ["BatchItem.result"] = "The score; null when the lead could not be used.",
        ["BatchItem.error"] = "Why the lead could not be used; null when it was scored.",
        ["BatchScoreResponse.scored"] = "Leads scored.",
        ["BatchScoreResponse.failed"] = "Leads that could not be used (each with its error).",
        ["BatchScoreResponse.items"] = "One item per lead, in the request's order.",
        ["IgnoredEvent.path"] = "The event's JSON path in the request (for a stored lead, its place among the lead's events, oldest first).",
        ["IgnoredEvent.reason"] = "Why it was not counted, e.g. `at or after asOf`.",
        ["EventsResponse.accepted"] = "New events stored.",
        ["EventsResponse.duplicate"] = "Events already stored with the same content: not counted again.",
        ["EventsResponse.leads"] = "The new score of each lead that received new events.",
        ["ScoreWarnings.unknownAttributes"] = "Attributes the model does not know: ignored.",
        ["ScoreWarnings.missingAttributes"] = "Attributes the model reads that were not sent: scored as missing.",
        ["ScoreWarnings.unknownCategories"] = "Attribute values the model has not seen: scored as \"another value\".",
        ["ScoreWarnings.invalidValues"] = "Attributes whose value cannot be read as their kind (a non-finite or non-numeric number): scored as missing.",
        ["ScoreWarnings.ignoredEvents"] = "How many events were not counted (see `ignoredEventReasons`).",
        ["ScoreWarnings.unknownEventTypes"] = "Event types the model has no channel for: not counted.",
        ["Blend.modelWeight"] = "The model's weight `w` in `score = (1 − w) × rule score + w × model score`.",
        ["Blend.ruleScore"] = "The rule points' score, 0–100.",
        ["Blend.modelScore"] = "The model's score, 0–100.",
        ["Blend.formula"] = "The blend, in words and figures.",
        ["ContributionDto.points"] = "What the feature adds (or removes), in points.",
        ["ContributionDto.label"] = "The feature's name as a person reads it.",
        ["DeliveryAttempt.seq"] = "The attempt's sequence number.",
        ["DeliveryAttempt.webhook"] = "The webhook's URL.",
        ["DeliveryAttempt.attempt"] = "The attempt's number for this alert and webhook, from 1.",
        ["DeliveryAttempt.statusCode"] = "The webhook's HTTP status; null when it did not answer.",
        ["DeliveryAttempt.error"] = "Why the attempt failed; null when it succeeded.",
        ["DeliveryAttempt.succeeded"] = "Whether the webhook accepted it (2xx).",
        ["DeliveryAttempt.durationMs"] = "How long the request took, in milliseconds.",
        ["DeliveryAttempt.instance"] = "The Api instance that made the attempt.",
        ["ConversionResponse.at"] = "When the lead converted; null once undone.",
        ["ConversionResponse.value"] = "The deal's value.",
        ["ConversionResponse.source"] = "Where the conversion was recorded.",
        ["ConversionResponse.score"] = "The lead's score after the change.",
        ["ConversionResponse.grade"] = "The lead's grade after the change.",
        ["LeadResponse.attributes"] = "The stored attributes, as text.",
        ["LeadResponse.eventCount"] = "Events stored.",
        ["LeadResponse.lastEventAt"] = "When the latest event happened.",
        ["LeadResponse.convertedAt"] = "When the lead converted; null when it has not.",
        ["StoredScore.scoredAt"] = "When the stored score was computed.",
        ["StoredScore.nextRescoreAt"] = "When rescoring will score the lead again, as its events age.",
        ["OutcomesResponse.horizonDays"] = "The outcome horizon: a lead converts when it converts within this many days after the cut-off.",
        ["OutcomesResponse.cutoff"] = "When the leads were graded.",
        ["OutcomesResponse.grades"] = "Each grade's observed and promised conversion.",
        ["PromotionResponse.action"] = "`promote` or `rollback`.",
        ["PromotionResponse.previousBundle"] = "The bundle it replaced.",
        ["PromotionResponse.previousModelVersion"] = "The model version it replaced.",
        ["PromotionResponse.forced"] = "Whether it was promoted without a favourable comparison.",
        ["CompareResponse.notWorse"] = "Whether the candidate is not worse than the bundle in force on any metric.",
        ["CompareResponse.promoted"] = "Whether the comparison promoted it (automatic promotion).",
        ["LeadHistoryResponse.changes"] = "Every score change, oldest first.",
        ["RuleSetList.versions"] = "Every stored version, oldest first.",
        ["RuleSetSummary.criteria"] = "How many criteria it has.",
        ["RuleSetSummary.enabledCriteria"] = "How many of them count.",
        ["RuleSetSummary.inForce"] = "Whether it scores the model now.",
        ["RuleSetDiff.added"] = "Criteria only the second version has.",
        ["RuleSetDiff.removed"] = "Criteria only the first version has.",
        ["RuleSetDiff.changed"] = "Criteria both have, with what changed.",
        ["RuleSetDiff.grades"] = "Grade bands that changed.",
        ["RuleSetAuditEntry.id"] = "The entry's number.",
        ["RuleSetAuditEntry.action"] = "`created`, `edited`, `approved` or `discarded`.",
        ["WhatIfResult.firstCutoff"] = "The first cut-off month evaluated.",
        ["WhatIfResult.lastCutoff"] = "The last cut-off month evaluated.",
        ["WhatIfFigures.salesReadyThreshold"] = "The sales-ready threshold, 0–100.",
        ["WhatIfFigures.salesReadyLeads"] = "Leads at or above it.",
        ["WhatIfFigures.meanScore"] = "The mean score.",
        ["WhatIfFigures.grades"] = "Each grade band's figures.",
        ["WhatIfFigures.unknownFeatures"] = "Features the rule set names that the model lacks.",
        ["GradeFigures.share"] = "Share of the leads in this grade, 0–1.",
        ["GradeFigures.leadsPerMonth"] = "Leads in this grade per cut-off month.",
        ["GradeChange.oldMinScore"] = "The lowest score before.",
        ["GradeChange.newMinScore"] = "The lowest score after.",
        ["GradeChange.oldLabel"] = "The label before.",
        ["GradeChange.newLabel"] = "The label after.",
        ["AlertCause.reason"] = "Why the lead was scored (as `reason`).",
        ["ReloadResponse.reloaded"] = "The model's name.",
        ["alert"] = "`sales-ready` or `gone-cold` when this change raised an alert; null otherwise.",
        ["BulkLeadResult.path"] = "For an invalid lead, the JSON path of the field at fault (`$.leads[2].createdAt`); absent otherwise.",
        ["BulkLeadsResponse.created"] = "Leads created.",
        ["BulkLeadsResponse.updated"] = "Leads whose attributes or dates changed.",
        ["BulkLeadsResponse.unchanged"] = "Leads sent exactly as stored: not written, not rescored.",
        ["BulkLeadsResponse.invalid"] = "Leads refused (nothing of them stored); each result says why.",
        ["BulkLeadsResponse.results"] = "One result per lead sent, in order.",
        ["AlertPayload.criteria"] = "The rule-set criteria that fired for the new score, with their points.",
        ["KnownFeature.name"] = "The feature's name, as a condition names it.",
        ["ModelPoints.score"] = "The model's score on the rules' scale, 0–100.",
        ["StoredScore.score"] = "The stored score, 0–100; null before the lead was first scored.",
        ["WhatIfResult.conversions"] = "Of those rows, how many converted within the horizon.",
    };

    private static IOpenApiSchema? Find(IDictionary<string, IOpenApiSchema> properties, string name) =>
        properties.TryGetValue(name, out var p) ? p : null;

    /// <summary>Attribute values as <see cref="AttributeTextConverter"/> reads them.</summary>
    private static void Attributes(OpenApiSchema p)
    {
        p.AdditionalProperties = new OpenApiSchema
        {
            Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean | JsonSchemaType.Null,
            Description = "A string, number, boolean or null (null: unknown); an array or object is refused.",
        };
    }

    private static void Items(IDictionary<string, IOpenApiSchema> properties, string name, int max, string limit)
    {
        if (Find(properties, name) is not OpenApiSchema p) return;
        p.MaxItems = max;
        p.Description = p.Description is { Length: > 0 } d ? $"{d} {limit}" : limit;
    }

    private static void Length(IDictionary<string, IOpenApiSchema> properties, string name, int max)
    {
        if (Find(properties, name) is OpenApiSchema p) p.MaxLength = max;
    }

    private static void Kinds(IDictionary<string, IOpenApiSchema> properties, string name, bool nullable)
    {
        if (Find(properties, name) is not OpenApiSchema p) return;
        p.Enum = [.. AlertKinds.Select(k => (JsonNode)k)];
        if (nullable) p.Enum.Add(null!);
    }

    /// <summary>Removes every component schema that no path, webhook or reachable schema refers to.</summary>
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        if (document.Components?.Schemas is not { } schemas) return;
        var all = new Dictionary<string, IOpenApiSchema>(schemas, StringComparer.Ordinal);
        schemas.Clear();
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(References(Serialize(document.SerializeAsV31)));
        while (pending.TryDequeue(out var name))
        {
            if (!all.TryGetValue(name, out var schema) || !reached.Add(name)) continue;
            foreach (var next in References(Serialize(schema.SerializeAsV31))) pending.Enqueue(next);
        }
        foreach (var (name, schema) in all.Where(s => reached.Contains(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal)) schemas[name] = schema;
    }

    private static string Serialize(Action<IOpenApiWriter> write)
    {
        using var text = new StringWriter();
        write(new OpenApiJsonWriter(text));
        return text.ToString();
    }

    private static IEnumerable<string> References(string json) => SchemaReference().Matches(json).Select(m => m.Groups[1].Value);

    [GeneratedRegex("\"#/components/schemas/([^\"]+)\"")]
    private static partial Regex SchemaReference();
}
