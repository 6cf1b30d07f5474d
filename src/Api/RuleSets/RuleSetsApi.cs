using System.Text.Json;
using System.Text.Json.Serialization;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Features.Rules;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LeadML.Api.RuleSets;

/// <summary>
/// Rule-set review (design §6, a reviewer or admin key): list, read, draft, edit, diff, approve, restore, audit and what-if per
/// scoring model. Version 0 is the bundle's suggestion. Approving or restoring puts the version in force at once
/// through <see cref="ModelRegistry.ApplyRuleSet"/>; approved versions never change and are never deleted.
/// </summary>
public static class RuleSetsApi
{
    /// <summary>Rule sets are answered in the bundle files' own JSON (camelCase enums), so a GET can be edited and sent back.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static RouteGroupBuilder MapRuleSetsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/rulesets/{model}").WithTags("Rule sets").RequireKey(KeyRole.Reviewer);
        g.MapGet("", List).WithSummary("The suggestion, every stored version, the open drafts (who, based on what, last changed when) and which one is in force")
            .Produces<RuleSetList>();
        g.MapGet("/features", Features).WithSummary("The features criteria can be written over").Produces<List<KnownFeature>>();
        g.MapPost("/label", Label).Accepts<ConditionInput>("application/json")
            .WithSummary("A condition in a marketer's words: the label a new criterion or knock-out over it reads as, unless another is typed")
            .Produces<ConditionLabel>().WithProblem(StatusCodes.Status404NotFound, "the model is not configured");
        g.MapGet("/audit", Audit).WithSummary("Every change: created, edited (with what changed, in words), approved, discarded (restores are approvals of a copy)")
            .Produces<List<RuleSetAuditEntry>>();
        g.MapGet("/diff", Diff).WithSummary("What changed between two versions (0 = the suggestion)").Produces<RuleSetDiff>()
            .WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version");
        g.MapPost("/whatif", WhatIfPost)
            .WithSummary("Evaluate a rule set (or {\"version\": n}) on the bundle's test-period sample, beside the rule set in force")
            .Produces<WhatIfResult>().WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version");
        g.MapGet("/whatif", WhatIfGet).WithSummary("Evaluate a stored version (0 = the suggestion) beside the rule set in force")
            .Produces<WhatIfResult>().WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version");
        g.MapPost("/drafts", CreateDraft).WithResponseHeader("ETag", RuleSetETag.Meaning).WithSummary("Create a draft from the suggestion (from null or 0) or from any version")
            .Produces<RuleSetView>(StatusCodes.Status201Created).WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version");
        g.MapGet("/{version:int}", Get).WithResponseHeader("ETag", RuleSetETag.Meaning).WithSummary("One version with its criteria (0 = the suggestion)").Produces<RuleSetView>()
            .WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version");
        g.MapPut("/{version:int}", Edit).WithResponseHeader("ETag", RuleSetETag.Meaning)
            .WithSummary("Replace a draft's parts: points, thresholds, grade bands, the whole criteria or knock-outs list (one that drops some needs \"dropMissing\": true); 409 for approved versions")
            .Produces<RuleSetView>().WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version")
            .WithProblem(StatusCodes.Status409Conflict, "the version is approved (or the suggestion) and can no longer change; create a draft from it")
            .WithProblem(StatusCodes.Status412PreconditionFailed, "If-Match names another state of the draft: someone else changed it; read it again");
        g.MapPatch("/{version:int}", Patch).WithResponseHeader("ETag", RuleSetETag.Meaning)
            .Accepts<RuleSetPatch>(Leads.LeadsApi.MergePatch, "application/json")
            .WithSummary("Change a draft by a JSON merge patch: criteria and knock-outs by id (change, enable, add, remove with null), base points, thresholds, grades")
            .Produces<RuleSetView>().WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version")
            .WithProblem(StatusCodes.Status409Conflict, "the version is approved (or the suggestion) and can no longer change; create a draft from it")
            .WithProblem(StatusCodes.Status412PreconditionFailed, "If-Match names another state of the draft: someone else changed it; read it again");
        g.MapDelete("/{version:int}", Discard).WithSummary("Discard a draft; approved versions are never deleted (409)")
            .Produces(StatusCodes.Status204NoContent).WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version")
            .WithProblem(StatusCodes.Status409Conflict, "the version is approved (or the suggestion) and is never deleted")
            .WithProblem(StatusCodes.Status412PreconditionFailed, "If-Match names another state of the draft: someone else changed it; read it again");
        g.MapPost("/{version:int}/approve", Approve).WithResponseHeader("ETag", RuleSetETag.Meaning).WithSummary("Approve a draft and put it in force without restart").Produces<RuleSetView>()
            .WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version")
            .WithProblem(StatusCodes.Status409Conflict, "the version is not a draft, or names features the model in force lacks")
            .WithProblem(StatusCodes.Status412PreconditionFailed, "If-Match names another state of the draft: someone else changed it; read it again");
        g.MapPost("/{version:int}/restore", Restore).WithResponseHeader("ETag", RuleSetETag.Meaning).WithSummary("Copy an approved version (or the suggestion) into a new approved version in force")
            .Produces<RuleSetView>(StatusCodes.Status201Created).WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no such version")
            .WithProblem(StatusCodes.Status409Conflict, "the version is a draft; approve it instead");
        g.MapRuleSetTrials();
        return g;
    }

    private static async Task<IResult> List(string model, ModelRegistry registry, IRuleSetRepository repository, CancellationToken ct)
    {
        var m = registry.Get(model);
        var inForce = InForceOf(m);
        var versions = await repository.ListAsync(m.Name, ct);
        var audit = await repository.AuditAsync(m.Name, ct);
        return TypedResults.Json(new RuleSetList(m.Name, m.ModelVersion, inForce, Summary(m.Suggested, null, inForce),
            [.. versions.Select(v => Summary(v.Rules, v, inForce))], OpenDrafts(versions, audit)), Json);
    }

    /// <summary>The drafts still open, most recently changed first, each with its last change from the audit.</summary>
    private static List<OpenDraft> OpenDrafts(IReadOnlyList<StoredRuleSet> versions, IReadOnlyList<RuleSetAuditEntry> audit)
    {
        var byVersion = audit.ToLookup(a => a.Version);
        return [.. versions.Where(v => v.Status == RuleSetStatus.Draft)
            .Select(v =>
            {
                var last = byVersion[v.Version].LastOrDefault();
                return new OpenDraft(v.Version, v.BasedOn, v.CreatedBy, v.CreatedAt, last?.At ?? v.CreatedAt, last is null ? v.CreatedBy : last.Actor,
                    byVersion[v.Version].Count(a => a.Action == "edited"), v.Rules.Criteria.Count);
            })
            .OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Version)];
    }

    /// <summary>The features criteria can be written over, each named in words (<see cref="CriterionText.Feature"/>).</summary>
    private static IResult Features(string model, ModelRegistry registry)
    {
        var spec = registry.Get(model).Spec;
        return TypedResults.Json(spec.Features.Select((f, j) => new KnownFeature(f.Name, CriterionText.Feature(spec, j), f.Kind, f.Group, f.Negative)), Json);
    }

    /// <summary>The sentence <see cref="CriterionText"/> makes of a condition, checked as a criterion's condition is (the
    /// page's default label for a criterion it adds comes from here, so it reads as the trainer's and the report's do).</summary>
    private static Results<JsonHttpResult<ConditionLabel>, ValidationProblem> Label(string model, ConditionInput? condition, ModelRegistry registry)
    {
        var m = registry.Get(model);
        if (condition is null) return Missing("$", "a condition: feature, op, value (and upper for 'between')");
        return TypedResults.Json(new ConditionLabel(CriterionText.Label(m.Spec, RuleSetEditor.ConditionOf(condition, m.Spec))), Json);
    }

    private static async Task<Results<JsonHttpResult<RuleSetView>, ValidationProblem>> Get(string model, int version, HttpContext http, ModelRegistry registry,
        IRuleSetRepository repository, CancellationToken ct)
    {
        var m = registry.Get(model);
        if (NotAVersion(version, "$.version") is { } invalid) return invalid;
        var (rules, stored) = await Resolve(m, version, repository, ct);
        Tag(http, stored);
        return TypedResults.Json(new RuleSetView(Summary(rules, stored, InForceOf(m)), rules), Json);
    }

    private static async Task<IResult> CreateDraft(string model, DraftRequest? request, HttpContext http, ModelRegistry registry, IRuleSetRepository repository,
        TimeProvider clock, CancellationToken ct)
    {
        var m = registry.Get(model);
        var from = request?.From is > 0 ? request.From : null;
        var (rules, _) = await Resolve(m, from ?? 0, repository, ct);
        var draft = await repository.CreateDraftAsync(m.Name, rules, from, Actor(request?.CreatedBy), Now(clock), ct);
        Tag(http, draft);
        return TypedResults.Json(new RuleSetView(Summary(draft.Rules, draft, InForceOf(m)), draft.Rules), Json,
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> Edit(string model, int version, RuleSetInput input, HttpContext http, ModelRegistry registry, IRuleSetRepository repository,
        TimeProvider clock, CancellationToken ct)
    {
        var m = registry.Get(model);
        await Draft(m, version, repository, "and can no longer change; create a draft from it", ct);
        var updated = await repository.UpdateDraftAsync(m.Name, version, stored =>
        {
            // The items are checked first: a bad value is told at its own path before a list that is short.
            var edited = RuleSetEditor.Apply(stored.Rules, input, m.Spec);
            if (input.Criteria is not null && input.DropMissing != true) RefuseDropped(stored, input.Criteria);
            if (input.KnockOuts is not null && input.DropMissing != true) RefuseDroppedKnockOuts(stored, input.KnockOuts);
            return edited;
        }, IfMatch(http), Actor(input.EditedBy), Now(clock), Describer(m), ct);
        Tag(http, updated);
        return TypedResults.Json(new RuleSetView(Summary(updated.Rules, updated, InForceOf(m)), updated.Rules), Json);
    }

    /// <summary>Refuses a criteria list that leaves out criteria of the draft: a PUT replaces the list, and a list sent
    /// short by mistake must not delete criteria. Removing them is said explicitly (<c>dropMissing</c>, or PATCH with null).</summary>
    private static void RefuseDropped(StoredRuleSet stored, List<CriterionInput?> criteria)
    {
        var sent = criteria.Select(c => c?.Id?.Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = stored.Rules.Criteria.Where(c => !sent.Contains(c.Id)).Select(c => c.Id).ToList();
        if (missing.Count == 0) return;
        var named = string.Join(", ", missing.Take(5).Select(id => $"'{id}'")) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "");
        throw new RequestValidationException("$.criteria",
            $"leaves out {missing.Count} of the draft's criteria ({named}); PUT replaces the whole list, so send them, send \"dropMissing\": true to remove them, or remove single ones with PATCH ({{\"criteria\": {{\"{missing[0]}\": null}}}})");
    }

    /// <summary>Refuses a knock-out list that leaves out knock-outs of the draft, as <see cref="RefuseDropped"/> does for criteria.</summary>
    private static void RefuseDroppedKnockOuts(StoredRuleSet stored, List<KnockOutInput?> knockOuts)
    {
        var sent = knockOuts.Select(k => k?.Id?.Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = stored.Rules.KnockOuts.Where(k => !sent.Contains(k.Id)).Select(k => k.Id).ToList();
        if (missing.Count == 0) return;
        var named = string.Join(", ", missing.Take(5).Select(id => $"'{id}'")) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "");
        throw new RequestValidationException("$.knockOuts",
            $"leaves out {missing.Count} of the draft's knock-outs ({named}); PUT replaces the whole list, so send them, send \"dropMissing\": true to remove them, or remove single ones with PATCH ({{\"knockOuts\": {{\"{missing[0]}\": null}}}})");
    }

    private static async Task<IResult> Patch(string model, int version, RuleSetPatch patch, HttpContext http, ModelRegistry registry, IRuleSetRepository repository,
        TimeProvider clock, CancellationToken ct)
    {
        var m = registry.Get(model);
        foreach (var part in new[] { "basePoints", "criteria", "knockOuts", "thresholds", "grades" })
        {
            if (!patch.Sent.Contains(part)) continue;
            var isNull = part switch
            {
                "basePoints" => patch.BasePoints is null, "criteria" => patch.Criteria is null, "knockOuts" => patch.KnockOuts is null,
                "thresholds" => patch.Thresholds is null, _ => patch.Grades is null,
            };
            if (isNull)
            {
                throw new RequestValidationException($"$.{part}", part is "criteria" or "knockOuts"
                    ? $"cannot be null: remove single {(part == "criteria" ? "criteria" : "knock-outs")} by sending them as null ({{\"{part}\": {{\"<id>\": null}}}})"
                    : "cannot be removed: a rule set always has it; send the value it should have");
            }
        }
        await Draft(m, version, repository, "and can no longer change; create a draft from it", ct);
        var updated = await repository.UpdateDraftAsync(m.Name, version, stored => RuleSetEditor.Merge(stored, patch, m.Spec), IfMatch(http),
            Actor(patch.EditedBy), Now(clock), Describer(m), ct);
        Tag(http, updated);
        return TypedResults.Json(new RuleSetView(Summary(updated.Rules, updated, InForceOf(m)), updated.Rules), Json);
    }

    private static async Task<NoContent> Discard(string model, int version, string? discardedBy, HttpContext http, ModelRegistry registry,
        IRuleSetRepository repository, TimeProvider clock, CancellationToken ct)
    {
        var m = registry.Get(model);
        await Draft(m, version, repository, "and is never deleted: approved versions are the record of what scored leads", ct);
        await repository.DiscardDraftAsync(m.Name, version, IfMatch(http), Actor(discardedBy), Now(clock), ct);
        return TypedResults.NoContent();
    }

    /// <summary>What an edit changed, in words, for its audit entry (<see cref="RuleSetDiffText"/>).</summary>
    private static Func<RuleSet, RuleSet, string?> Describer(ScoringModel m) =>
        (before, after) => RuleSetDiffText.Summary(RuleSetDiff.Between(0, before, 0, after, m.Spec));

    /// <summary>The version's <see cref="RuleSetETag"/> in the answer's <c>ETag</c> header (none for the suggestion, which never changes).</summary>
    private static void Tag(HttpContext http, StoredRuleSet? stored)
    {
        if (stored is not null) http.Response.Headers.ETag = RuleSetETag.Of(stored);
    }

    /// <summary>The request's <c>If-Match</c>, or null when it sends none (then the change is made whatever the version holds).</summary>
    private static string? IfMatch(HttpContext http) => http.Request.Headers.IfMatch is { Count: > 0 } v ? v.ToString() : null;

    /// <summary>The stored draft <paramref name="version"/>: 404 when there is none, 409 (saying <paramref name="otherwise"/>)
    /// when it is approved.</summary>
    private static async Task<StoredRuleSet> Draft(ScoringModel m, int version, IRuleSetRepository repository, string otherwise, CancellationToken ct)
    {
        var stored = await Stored(m, version, repository, ct);
        if (stored.Status != RuleSetStatus.Draft)
        {
            throw new RuleSetConflictException($"version {version} is {Word(stored.Status)} {otherwise} (POST /rulesets/{m.Name}/drafts with {{\"from\": {version}}} copies it into a draft)");
        }
        return stored;
    }

    private static async Task<Results<JsonHttpResult<RuleSetView>, ValidationProblem>> Approve(string model, int version, ApproveRequest request,
        HttpContext http, ModelRegistry registry, IRuleSetRepository repository, TimeProvider clock, CancellationToken ct)
    {
        var m = registry.Get(model);
        if (Trim(request.ApprovedBy) is not { } approver) return Missing("$.approvedBy", "the approver's name");
        var stored = await Stored(m, version, repository, ct);
        if (stored.Status != RuleSetStatus.Draft)
        {
            throw new RuleSetConflictException($"version {version} is {Word(stored.Status)}; only drafts can be approved (restore an approved version instead)");
        }
        var unknown = RuleSetEditor.UnknownFeatures(stored.Rules, m.Spec);
        if (unknown.Count > 0)
        {
            throw new RuleSetConflictException($"version {version} names features that model {m.ModelVersion} lacks ({string.Join(", ", unknown)}); edit the draft first");
        }
        var approved = await repository.ApproveAsync(m.Name, version, approver, Trim(request.Comment), Now(clock), IfMatch(http), ct);
        Tag(http, approved);
        var now = await PutLatestInForce(m.Name, registry, repository, ct);
        return TypedResults.Json(new RuleSetView(Summary(approved.Rules, approved, InForceOf(now)), approved.Rules), Json);
    }

    private static async Task<Results<JsonHttpResult<RuleSetView>, ValidationProblem>> Restore(string model, int version, RestoreRequest request,
        HttpContext http, ModelRegistry registry, IRuleSetRepository repository, TimeProvider clock, CancellationToken ct)
    {
        var m = registry.Get(model);
        if (Trim(request.RestoredBy) is not { } actor) return Missing("$.restoredBy", "the name of who restores");
        if (NotAVersion(version, "$.version") is { } invalid) return invalid;
        var (rules, stored) = await Resolve(m, version, repository, ct);
        if (stored is not null && stored.Status != RuleSetStatus.Approved)
        {
            throw new RuleSetConflictException($"version {version} is a draft; approve it instead of restoring it");
        }
        var at = Now(clock);
        var what = version == 0 ? "the suggestion" : $"version {version}";
        var comment = Trim(request.Comment) is { } c ? $"restore of {what}: {c}" : $"restore of {what}";
        var copy = await repository.CreateDraftAsync(m.Name, rules, version, actor, at, ct);
        var approved = await repository.ApproveAsync(m.Name, copy.Version, actor, comment, at, null, ct);
        Tag(http, approved);
        var now = await PutLatestInForce(m.Name, registry, repository, ct);
        return TypedResults.Json(new RuleSetView(Summary(approved.Rules, approved, InForceOf(now)), approved.Rules), Json,
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<Results<JsonHttpResult<RuleSetDiff>, ValidationProblem>> Diff(string model, int? from, int? to, ModelRegistry registry,
        IRuleSetRepository repository, CancellationToken ct)
    {
        var m = registry.Get(model);
        if (from is not { } a) return Missing("$.from", "the version to compare from (0 = the suggestion)");
        if (to is not { } b) return Missing("$.to", "the version to compare to (0 = the suggestion)");
        if (NotAVersion(a, "$.from") is { } invalidFrom) return invalidFrom;
        var (left, _) = await Resolve(m, a, repository, ct);
        if (NotAVersion(b, "$.to") is { } invalidTo) return invalidTo;
        var (right, _) = await Resolve(m, b, repository, ct);
        return TypedResults.Json(RuleSetDiff.Between(a, left, b, right, m.Bundle.Spec), Json);
    }

    private static async Task<IResult> Audit(string model, ModelRegistry registry, IRuleSetRepository repository, CancellationToken ct) =>
        TypedResults.Json(await repository.AuditAsync(registry.Get(model).Name, ct), Json);

    private static async Task<Results<JsonHttpResult<WhatIfResult>, ValidationProblem>> WhatIfPost(string model, RuleSetInput input,
        ModelRegistry registry, IRuleSetRepository repository, IOptions<LeadMlOptions> options, CancellationToken ct)
    {
        var m = registry.Get(model);
        if (input.Version is { } v && IsVersionOnly(input) && NotAVersion(v, "$.version") is { } invalid) return invalid;
        var (candidate, label, _) = await Candidate(m, input, repository, "$", ct);
        return TypedResults.Json(WhatIf.Compare(m, candidate, label, m.Rules, m.RuleSetVersion, options.Value.BlendWeight), Json);
    }

    private static async Task<Results<JsonHttpResult<WhatIfResult>, ValidationProblem>> WhatIfGet(string model, int? version, ModelRegistry registry,
        IRuleSetRepository repository, IOptions<LeadMlOptions> options, CancellationToken ct)
    {
        var m = registry.Get(model);
        if (version is not { } v) return Missing("$.version", "the version to evaluate (0 = the suggestion)");
        if (NotAVersion(v, "$.version") is { } invalid) return invalid;
        var (candidate, _) = await Resolve(m, v, repository, ct);
        return TypedResults.Json(WhatIf.Compare(m, candidate, v == 0 ? "suggested" : $"v{v}", m.Rules, m.RuleSetVersion, options.Value.BlendWeight), Json);
    }

    /// <summary>The rule set a what-if, impact or trial body names, with its label ("draft", "v3", "suggested") and source
    /// ("draft", "approved", "suggested"): a body with nothing but a version selects that stored version; any other body is
    /// a rule set, evaluated as sent (e.g. a GET answer, which carries its own "version") over the rule set in force. A
    /// field at fault is named under <paramref name="at"/>, where the rule set sits in the request.</summary>
    internal static async Task<(RuleSet Rules, string Label, string Source)> Candidate(ScoringModel m, RuleSetInput input, IRuleSetRepository repository,
        string at, CancellationToken ct)
    {
        if (input.Version is { } v && IsVersionOnly(input))
        {
            if (v < 0) throw new RequestValidationException($"{at}.version", $"is {v}; versions are 1, 2, … (0 = the suggestion)");
            var (rules, stored) = await Resolve(m, v, repository, ct);
            return (rules, v == 0 ? "suggested" : $"v{v}", stored is null ? "suggested" : stored.Status == RuleSetStatus.Draft ? "draft" : "approved");
        }
        try
        {
            return (RuleSetEditor.Apply(m.Rules, input, m.Spec), "draft", "draft");
        }
        catch (RequestValidationException e) when (at != "$")
        {
            throw new RequestValidationException(at + e.Path[1..], e.Message);
        }
    }

    private static bool IsVersionOnly(RuleSetInput input) =>
        input.Criteria is null && input.KnockOuts is null && input.BasePoints is null && input.Thresholds is null && input.Grades is null;

    /// <summary>Puts the repository's latest approved version in force, so the registry never disagrees with the store
    /// even when two approvals race.</summary>
    private static async Task<ScoringModel> PutLatestInForce(string model, ModelRegistry registry, IRuleSetRepository repository, CancellationToken ct)
    {
        var latest = await repository.LatestApprovedAsync(model, ct) ?? throw new InvalidOperationException($"model {model} has no approved rule set after an approval");
        return registry.ApplyRuleSet(model, latest.Rules, RuleSetSource.Approved);
    }

    /// <summary>The rules of a version at or above 0 (see <see cref="NotAVersion"/>): the suggestion for 0.</summary>
    internal static async Task<(RuleSet Rules, StoredRuleSet? Stored)> Resolve(ScoringModel m, int version, IRuleSetRepository repository,
        CancellationToken ct)
    {
        if (version == 0) return (m.Suggested, null);
        var stored = await Stored(m, version, repository, ct);
        return (stored.Rules, stored);
    }

    private static async Task<StoredRuleSet> Stored(ScoringModel m, int version, IRuleSetRepository repository, CancellationToken ct)
    {
        if (version == 0) throw new RuleSetConflictException("version 0 is the bundle's suggestion, which never changes; create a draft from it");
        return await repository.GetAsync(m.Name, version, ct) ?? throw new UnknownRuleSetException(m.Name, version);
    }

    private static InForce InForceOf(ScoringModel m) => m.RuleSource == RuleSetSource.Approved
        ? new InForce(m.Rules.Version, m.RuleSetVersion, "approved")
        : new InForce(0, m.RuleSetVersion, "suggested");

    private static RuleSetSummary Summary(RuleSet rules, StoredRuleSet? s, InForce inForce) => new(
        s?.Version ?? 0, s?.Status ?? RuleSetStatus.Suggested, rules.ModelVersion, s?.CreatedAt ?? rules.CreatedAt, s?.CreatedBy,
        s?.ApprovedAt, s?.ApprovedBy, s?.Comment, s?.BasedOn, rules.Criteria.Count, rules.Criteria.Count(c => c.Enabled),
        (s?.Version ?? 0) == inForce.Version && (s is null ? inForce.Source == "suggested" : s.Status == RuleSetStatus.Approved),
        rules.KnockOuts.Count(k => k.Enabled));

    internal static ValidationProblem? NotAVersion(int version, string path) =>
        version < 0 ? Problems.Invalid(path, $"is {version}; versions are 1, 2, … (0 = the suggestion)") : null;

    private static ValidationProblem Missing(string path, string what) => Problems.Invalid(path, $"is required: {what}");

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Actor(string? value) => Trim(value);

    private static DateTime Now(TimeProvider clock) => clock.GetUtcNow().UtcDateTime;

    private static string Word(RuleSetStatus status) => status.ToString().ToLowerInvariant();
}
