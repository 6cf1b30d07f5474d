using LeadML.Api.Hosting;
using LeadML.Api.Leads;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadML.Api.Outcomes;

/// <summary>
/// Outcomes in: <c>POST /leads/{id}/conversion</c> records that a lead became a customer (idempotent: a repeat with
/// the same data changes nothing), <c>DELETE /leads/{id}/conversion</c> (admin key) undoes it. Either rescoring the lead
/// in the same transaction with reason <c>conversion</c> / <c>conversion undone</c>; a converted lead is no longer
/// rescored on schedule and raises no alerts (<see cref="LeadRescorer"/>).
/// </summary>
public static class ConversionsApi
{
    private const int MaxSourceLength = 256;

    /// <summary>The largest conversion value accepted: far above any deal, far below where a double loses cents.</summary>
    public const double MaxValue = 1e12;

    public static RouteGroupBuilder MapConversionsApi(this IEndpointRouteBuilder app)
    {
        var conversions = app.MapGroup("/leads/{id}/conversion").WithTags("Outcomes").RequireKey(KeyRole.Scoring);
        if (!app.HasLeadStore()) return conversions;
        conversions.MapPost("", Post)
            .WithSummary("Record that a lead converted (idempotent; another time answers 409 unless the key is an admin key)")
            .WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no lead with this id")
            .WithProblem(StatusCodes.Status409Conflict, "the lead's conversion is already recorded at another time (an admin key replaces it)");
        conversions.MapDelete("", Delete).RequireKey(KeyRole.Admin).WithSummary("Undo a lead's conversion")
            .WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or has no converted lead with this id");
        return conversions;
    }

    private static async Task<Results<Ok<ConversionResponse>, ProblemHttpResult, ValidationProblem>> Post(string id, ConversionRequest request,
        HttpContext http, LeadStore store, LeadRescorer rescorer, ModelRegistry registry, ApiKeys keys, TimeProvider clock, string? model = null,
        CancellationToken ct = default)
    {
        var scoring = registry.Get(request.Model ?? model);
        var now = clock.GetUtcNow().UtcDateTime;
        var at = request.At?.UtcDateTime ?? now;
        // Milliseconds are what the store keeps: a repeat must compare equal to what was stored.
        at = new DateTime(at.Ticks - at.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        if (at > now) return Problems.Invalid("$.at", $"is {request.At:O}, in the future");
        if (request.Value is { } v && (!double.IsFinite(v) || v < 0 || v > MaxValue))
        {
            var sent = double.IsFinite(v) ? v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "not a finite number";
            return Problems.Invalid("$.value", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"is {sent}; a conversion's value is an amount from 0 to {MaxValue:#,0}"));
        }
        var source = string.IsNullOrWhiteSpace(request.Source) ? null : request.Source.Trim();
        if (source?.Length > MaxSourceLength) return Problems.Invalid("$.source", $"is longer than {MaxSourceLength} characters");
        var isAdmin = keys.Check(http, KeyRole.Admin) is null;
        var wanted = new StoredConversion(at, request.Value, source);

        return await store.WriteAsync<Results<Ok<ConversionResponse>, ProblemHttpResult, ValidationProblem>>(async (c, tx) =>
        {
            var lead = await store.GetLeadAsync(c, tx, scoring.Name, id, ct);
            if (lead is null) return NotFound(scoring.Name, id);
            if (at < lead.CreatedAt) return Problems.Invalid("$.at", $"is before the lead was created ({lead.CreatedAt:O})");
            var stored = await store.ConversionAsync(c, tx, scoring.Name, id, ct);
            // Without a time the request speaks of the conversion already recorded: a retry of it is unchanged, a new
            // value or source updates it (a time sent is the client's word and is compared).
            var conversion = stored is not null && request.At is null ? wanted with { At = stored.At } : wanted;
            string status;
            if (stored is null) status = "recorded";
            else if (stored == conversion) return TypedResults.Ok(Response(lead, stored, "unchanged"));
            else if (stored.At == conversion.At) status = "updated";
            else if (isAdmin) status = "replaced";
            else
            {
                throw new ConversionConflictException(
                    $"lead '{id}' already converted at {stored.At:O}; a different time ({at:O}) needs an admin key, or undo the conversion first");
            }
            await store.SetConversionAsync(c, tx, scoring.Name, id, conversion, now, ct);
            if (status == "updated") return TypedResults.Ok(Response(lead, conversion, status));
            var r = await RescoreAsync(c, tx, store, rescorer, lead with { ConvertedAt = conversion.At }, scoring, now, ScoreReasons.Conversion,
                new ScoreCause(ConvertedAt: new DateTimeOffset(conversion.At, TimeSpan.Zero)), ct);
            return TypedResults.Ok(Response(r.Lead, conversion, status));
        }, ct);
    }

    private static async Task<Results<Ok<ConversionResponse>, ProblemHttpResult>> Delete(string id, LeadStore store, LeadRescorer rescorer, ModelRegistry registry,
        Alerts.AlertSignal signal, TimeProvider clock, string? model = null, CancellationToken ct = default)
    {
        var scoring = registry.Get(model);
        var now = clock.GetUtcNow().UtcDateTime;
        string? alert = null;
        var result = await store.WriteAsync<ConversionResponse?>(async (c, tx) =>
        {
            var lead = await store.GetLeadAsync(c, tx, scoring.Name, id, ct);
            if (lead?.ConvertedAt is null) return null;
            await store.SetConversionAsync(c, tx, scoring.Name, id, null, now, ct);
            var r = await RescoreAsync(c, tx, store, rescorer, lead with { ConvertedAt = null }, scoring, now, ScoreReasons.ConversionUndone,
                new ScoreCause(ConvertedAt: new DateTimeOffset(lead.ConvertedAt.Value, TimeSpan.Zero)), ct);
            // A lead no longer converted can be sales-ready again.
            alert = r.Alert;
            return new ConversionResponse(id, scoring.Name, null, null, null, "undone", r.Lead.Score, r.Lead.Grade);
        }, ct);
        signal.Raised([alert]);
        return result is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No conversion", detail: $"model {scoring.Name} has no converted lead '{id}'",
                extensions: Errors("$.leadId", $"model {scoring.Name} has no converted lead '{id}'"))
            : TypedResults.Ok(result);
    }

    /// <summary>Scores the lead again and makes sure its history shows why, even when the score itself did not move
    /// (the rescorer writes an entry only for a change).</summary>
    private static async Task<Rescored> RescoreAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, LeadStore store, LeadRescorer rescorer,
        StoredLead lead, ScoringModel scoring, DateTime now, string reason, ScoreCause cause, CancellationToken ct)
    {
        var r = await rescorer.RescoreAsync(c, tx, lead, scoring, now, reason, null, ct, cause: cause);
        if (!r.Changed)
        {
            await store.AddHistoryAsync(c, tx, lead.Model, lead.Id, new ScoreChange(now, r.Score.Score, lead.Score, r.Score.Grade, r.Lead.SalesReady,
                r.Score.ModelVersion, r.Score.RuleSetVersion, reason, LeadRescorer.CauseOf(lead, r.Score, null, cause)), ct);
        }
        return r;
    }

    private static ConversionResponse Response(StoredLead lead, StoredConversion conversion, string status) =>
        new(lead.Id, lead.Model, new DateTimeOffset(conversion.At, TimeSpan.Zero), conversion.Value, conversion.Source, status, lead.Score, lead.Grade);

    private static ProblemHttpResult NotFound(string model, string id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown lead",
        detail: $"model {model} has no lead '{id}'", extensions: Errors("$.leadId", $"model {model} has no lead '{id}'"));

    private static Dictionary<string, object?> Errors(string path, string message) => new()
    {
        ["errors"] = new Dictionary<string, string[]> { [path] = [message] },
    };
}
