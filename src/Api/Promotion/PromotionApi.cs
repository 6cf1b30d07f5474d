using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Api.Store;
using LeadML.Features.Bundles;
using LeadML.Features.Evaluation;
using LeadML.Features.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LeadML.Api.Promotion;

/// <summary>
/// Champion and challenger through the Api (admin key): <c>POST /admin/models/{name}/compare</c> scores the bundle in
/// force and a candidate on the store's history (the months after both training windows), records the comparison in
/// the candidate's report, and promotes it when <see cref="PromotionOptions.Auto"/> is on and it is not worse on any
/// metric; <c>POST …/promote</c> puts a bundle in force (409 without a favourable comparison against the bundle in force,
/// unless <c>force</c>); <c>POST …/rollback</c> puts back the bundle the last promotion replaced; <c>GET …/promotions</c>
/// lists them; <c>POST …/recalibrate</c> refits only the calibration of the bundle in force on the store's latest complete
/// outcomes and writes it as a new bundle version, to compare and promote like any other. Promotions are kept in the store and re-applied on start (<see cref="PromotionAdoption"/>).
/// </summary>
public static class PromotionApi
{
    public static RouteGroupBuilder MapPromotionApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/models/{name}").WithTags("Promotion").RequireKey(KeyRole.Admin);
        if (!app.HasLeadStore()) return admin;
        admin.MapPost("/compare", Compare).WithSummary("Score the bundle in force and a candidate on the store's recent history; auto-promote when configured")
            .WithProblem(StatusCodes.Status422UnprocessableEntity, "the candidate bundle does not load, or the store's history cannot be scored by both");
        admin.MapPost("/promote", Promote).WithSummary("Put a compared bundle in force (force: without a favourable comparison)")
            .WithProblem(StatusCodes.Status409Conflict, "no comparison against the bundle in force found this bundle not worse; compare it first, or send \"force\": true")
            .WithProblem(StatusCodes.Status422UnprocessableEntity, "the bundle does not load; the bundle in force stays");
        admin.MapPost("/rollback", Rollback).WithSummary("Put back the bundle the last promotion replaced")
            .WithProblem(StatusCodes.Status409Conflict, "there is no promotion to roll back")
            .WithProblem(StatusCodes.Status422UnprocessableEntity, "the previous bundle no longer loads; the bundle in force stays");
        admin.MapGet("/promotions", List).WithSummary("Promotions and rollbacks of a model, newest first");
        admin.MapPost("/recalibrate", Recalibrate).WithSummary("Refit only the calibration of the bundle in force on the store's latest complete outcomes; writes a new bundle version")
            .WithProblem(StatusCodes.Status409Conflict, "the folder to write already exists; a recalibration never replaces a bundle")
            .WithProblem(StatusCodes.Status422UnprocessableEntity, "the store has no, or too few, complete outcomes after the bundle's training window");
        return admin;
    }

    private static async Task<Results<Ok<CompareResponse>, ValidationProblem, ProblemHttpResult>> Compare(string name, CompareRequest request,
        ModelRegistry registry, LeadStore store, PromotionAdoption adoption, IOptions<StoreOptions> storeOptions, IOptions<PromotionOptions> options,
        IHostEnvironment environment, TimeProvider clock, CancellationToken ct)
    {
        var inForce = registry.Get(name);
        if (!TryBundlePath(request.Bundle, environment, out var candidatePath, out var invalid)) return invalid;
        if (!TryLoadBundle(registry.BundleFolder(name), "$", out var champion, out invalid)) return invalid;
        if (!TryLoadBundle(candidatePath, "$.bundle", out var challenger, out invalid)) return invalid;
        ComparisonResult result;
        try
        {
            // The comparison reads the whole history and scores it twice: off the request threads' pool budget.
            result = await Task.Run(() =>
            {
                var history = StoreHistory.Read(StoreSpec(storeOptions.Value, environment), inForce.Name);
                return BundleComparison.Run(champion, challenger, history);
            }, ct);
        }
        catch (InvalidDataException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot compare", detail: e.Message);
        }
        BundleComparison.Record(challenger, result);
        var json = BundleComparison.ToJson(result);
        if (!options.Value.Auto || !result.NewNotWorse)
        {
            return TypedResults.Ok(new CompareResponse(inForce.Name, candidatePath, json, result.NewNotWorse, false, result.Verdict));
        }
        var promoted = await PutInForceAsync(inForce.Name, candidatePath, "auto", false, json, registry, store, adoption, clock, ct);
        return promoted is PromotionResponse p
            ? TypedResults.Ok(new CompareResponse(inForce.Name, candidatePath, json, true, true, $"{result.Verdict}; promoted automatically: {p.ModelVersion} is in force"))
            : (ProblemHttpResult)promoted;
    }

    private static async Task<Results<Ok<RecalibrateResponse>, ValidationProblem, ProblemHttpResult>> Recalibrate(string name, RecalibrateRequest request,
        ModelRegistry registry, IOptions<StoreOptions> storeOptions, IHostEnvironment environment, TimeProvider clock, CancellationToken ct)
    {
        var inForce = registry.Get(name);
        var folder = registry.BundleFolder(name);
        if (!TryLoadBundle(folder, "$", out var bundle, out var invalid)) return invalid;
        var now = clock.GetUtcNow().UtcDateTime;
        var output = string.IsNullOrWhiteSpace(request.Out)
            ? $"{Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))}-recalibrated-{now:yyyyMMdd'T'HHmmss}"
            : Path.GetFullPath(Path.IsPathRooted(request.Out) ? request.Out : Path.Combine(environment.ContentRootPath, request.Out));
        if (Directory.Exists(output) || File.Exists(output))
        {
            var message = $"'{request.Out ?? output}' already exists: a recalibration writes a new bundle version and never replaces one; name a new folder";
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Folder exists", detail: message,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["$.out"] = [message] } });
        }
        var from = request.From?.UtcDateTime;
        if (from is { } f && f <= bundle.Manifest.Window.LearntUntil)
        {
            return Problems.Invalid("$.from", $"is {f:yyyy-MM-dd}, within the bundle's training window (it learnt from outcomes until {bundle.Manifest.Window.LearntUntil:yyyy-MM-dd}); give a later time");
        }
        RecalibrationResult result;
        try
        {
            // Reads the whole history and scores its latest outcomes: off the request threads' pool budget.
            result = await Task.Run(() => Recalibration.Run(bundle, StoreHistory.Read(StoreSpec(storeOptions.Value, environment), inForce.Name), output, now, from), ct);
        }
        catch (InvalidDataException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot recalibrate", detail: e.Message);
        }
        var fit = result.Fit;
        var version = result.Bundle.Manifest.ModelVersion;
        return TypedResults.Ok(new RecalibrateResponse
        {
            Model = inForce.Name, Bundle = result.Bundle.Directory!, ModelVersion = version, RecalibratedFrom = fit.RecalibratedFrom ?? inForce.ModelVersion,
            Calibration = fit.Kind, OutcomesFrom = new DateTimeOffset(result.Outcomes.From, TimeSpan.Zero), OutcomesTo = new DateTimeOffset(result.Outcomes.To, TimeSpan.Zero),
            Rows = result.Outcomes.Rows, Positives = result.Outcomes.Positives, EceBefore = fit.EceBefore ?? 0, EceAfter = fit.EceAfter ?? 0,
            Message = $"{version} keeps the model of {inForce.ModelVersion} with a calibration refitted on {result.Outcomes.Rows:N0} recent outcomes; it is not in force: "
                + $"compare it (POST /admin/models/{inForce.Name}/compare) once newer outcomes are complete, or promote it with \"force\": true",
        });
    }

    private static async Task<Results<Ok<PromotionResponse>, ValidationProblem, ProblemHttpResult>> Promote(string name, PromoteRequest request,
        ModelRegistry registry, LeadStore store, PromotionAdoption adoption, IHostEnvironment environment, TimeProvider clock, CancellationToken ct)
    {
        var inForce = registry.Get(name);
        if (!TryBundlePath(request.Bundle, environment, out var path, out var invalid)) return invalid;
        if (!TryLoadBundle(path, "$.bundle", out var candidate, out invalid)) return invalid;
        var comparison = candidate.Metrics.Comparison;
        var against = comparison?.Current.ModelVersion;
        var notWorse = comparison?.NewNotWorse ?? false;
        if (!request.Force)
        {
            var problem = comparison is null ? $"bundle {candidate.Manifest.ModelVersion} was never compared with the bundle in force ({inForce.ModelVersion})"
                : against != inForce.ModelVersion ? $"bundle {candidate.Manifest.ModelVersion} was compared with {against}, not with the bundle in force ({inForce.ModelVersion})"
                : !notWorse ? $"the comparison found bundle {candidate.Manifest.ModelVersion} worse than {inForce.ModelVersion} on at least one metric"
                : null;
            if (problem is not null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not promoted",
                    detail: $"{problem}: compare it first (POST /admin/models/{inForce.Name}/compare), or send \"force\": true",
                    extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["$.force"] = [problem] } });
            }
        }
        var r = await PutInForceAsync(inForce.Name, path, "promote", request.Force, comparison is null ? null : BundleComparison.ToJson(comparison), registry, store,
            adoption, clock, ct);
        return r is PromotionResponse p ? TypedResults.Ok(p) : (ProblemHttpResult)r;
    }

    private static async Task<Results<Ok<PromotionResponse>, ProblemHttpResult>> Rollback(string name, ModelRegistry registry, LeadStore store,
        PromotionAdoption adoption, TimeProvider clock, CancellationToken ct)
    {
        var inForce = registry.Get(name);
        var last = (await store.PromotionsAsync(inForce.Name, 1, ct)).FirstOrDefault();
        if (last is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to roll back",
                detail: $"model {inForce.Name} has no promotion: the configured bundle is in force");
        }
        var r = await PutInForceAsync(inForce.Name, last.PreviousBundle, "rollback", false, null, registry, store, adoption, clock, ct);
        return r is PromotionResponse p ? TypedResults.Ok(p) : (ProblemHttpResult)r;
    }

    private static async Task<Results<Ok<List<PromotionResponse>>, ValidationProblem>> List(string name, ModelRegistry registry, LeadStore store,
        int limit = 100, CancellationToken ct = default)
    {
        if (limit is < 1 or > 1000) return Problems.Invalid("$.limit", $"is {limit}; use 1 to 1000");
        var list = await store.PromotionsAsync(registry.Get(name).Name, limit, ct);
        return TypedResults.Ok(list.Select(Response).ToList());
    }

    /// <summary>Swaps the bundle in (the registry loads it completely first; a broken bundle is refused and the old
    /// one keeps serving) and records the change; returns the response or the problem. Swap and record are one step for
    /// this instance's adoption of promotions, which otherwise could read the previous record between them and swap the
    /// replaced bundle back.</summary>
    private static Task<object> PutInForceAsync(string name, string bundle, string action, bool forced, JsonObject? comparison, ModelRegistry registry,
        LeadStore store, PromotionAdoption adoption, TimeProvider clock, CancellationToken ct) =>
        adoption.ExclusiveAsync(() => SwapAndRecordAsync(name, bundle, action, forced, comparison, registry, store, clock, ct), ct);

    private static async Task<object> SwapAndRecordAsync(string name, string bundle, string action, bool forced, JsonObject? comparison,
        ModelRegistry registry, LeadStore store, TimeProvider clock, CancellationToken ct)
    {
        var before = registry.Get(name);
        var previousBundle = registry.BundleFolder(name);
        var (ok, message) = registry.Promote(name, bundle);
        if (!ok)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Bundle refused",
                detail: $"{message}; {before.ModelVersion} keeps serving",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["$.bundle"] = [message] } });
        }
        var after = registry.Get(name);
        var p = new StoredPromotion(0, name, action, registry.BundleFolder(name), after.ModelVersion, previousBundle, before.ModelVersion, forced,
            clock.GetUtcNow().UtcDateTime, comparison?.ToJsonString());
        await store.AddPromotionAsync(p, ct);
        return Response(p);
    }

    private static PromotionResponse Response(StoredPromotion p) =>
        new(p.Model, p.Action, p.Bundle, p.ModelVersion, p.PreviousBundle, p.PreviousModelVersion, p.Forced, new DateTimeOffset(p.At, TimeSpan.Zero));

    private static bool TryLoadBundle(string path, string jsonPath, [NotNullWhen(true)] out ModelBundle? bundle, [NotNullWhen(false)] out ValidationProblem? invalid)
    {
        try
        {
            bundle = ModelBundle.Load(path);
            invalid = null;
            return true;
        }
        catch (Exception e) when (e is BundleException or IOException or JsonException or InvalidDataException or NotSupportedException)
        {
            bundle = null;
            invalid = Problems.Invalid(jsonPath, e.Message);
            return false;
        }
    }

    private static bool TryBundlePath(string? bundle, IHostEnvironment environment, [NotNullWhen(true)] out string? full,
        [NotNullWhen(false)] out ValidationProblem? invalid)
    {
        full = null;
        invalid = null;
        if (string.IsNullOrWhiteSpace(bundle))
        {
            invalid = Problems.Invalid("$.bundle", "is required: the folder of a bundle written by 'leadml train'");
            return false;
        }
        var path = Path.GetFullPath(Path.IsPathRooted(bundle) ? bundle : Path.Combine(environment.ContentRootPath, bundle));
        if (!Directory.Exists(path))
        {
            invalid = Problems.Invalid("$.bundle", $"'{bundle}' is not a folder");
            return false;
        }
        full = path;
        return true;
    }

    /// <summary>The store as its history reader names it, from the Api's own store settings.</summary>
    internal static string StoreSpec(StoreOptions o, IHostEnvironment environment) => o.Provider.ToLowerInvariant() switch
    {
        "postgres" => $"postgres:{o.ConnectionString}",
        _ => $"sqlite:{o.SqlitePath(environment.ContentRootPath)}",
    };
}
