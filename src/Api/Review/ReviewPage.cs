using LeadML.Api.Hosting;
using LeadML.Api.Scoring;
using LeadML.Features.Assets;
using LeadML.Features.Bundles;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadML.Api.Review;

/// <summary>
/// The review page (<c>GET /review</c>): static HTML, script and style embedded in the Api, with Chart.js from
/// <see cref="VendoredAssets"/>; nothing comes from the network. The page asks for a reviewer (or admin) key and calls the
/// rule-set endpoints. The lead timeline (<c>GET /review/leads/{id}</c>) shows one stored lead's score over time and why
/// each change happened, from <c>GET /leads/{id}/history</c>. Also serves each bundle's <c>report.html</c> at
/// <c>GET /models/{model}/report</c>.
/// </summary>
public static class ReviewPage
{
    private static readonly Dictionary<string, (string Resource, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        ["/review"] = ("review.html", "text/html; charset=utf-8"),
        ["/review/review.js"] = ("review.js", "text/javascript; charset=utf-8"),
        ["/review/review-tryout.js"] = ("review-tryout.js", "text/javascript; charset=utf-8"),
        ["/review/review.css"] = ("review.css", "text/css; charset=utf-8"),
        ["/review/leads"] = ("lead.html", "text/html; charset=utf-8"),
        ["/review/lead.js"] = ("lead.js", "text/javascript; charset=utf-8"),
        ["/review/lead.css"] = ("lead.css", "text/css; charset=utf-8"),
    };

    public static RouteGroupBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        var review = app.MapGroup("");
        foreach (var (path, (resource, type)) in Files)
        {
            var text = Read(resource);
            review.MapGet(path, (HttpContext context) => Static(context, text, type)).ExcludeFromDescription();
        }
        // One lead's timeline: the same page for every id, which its script reads from the path.
        var leadPage = Read("lead.html");
        review.MapGet("/review/leads/{id}", (HttpContext context) => Static(context, leadPage, "text/html; charset=utf-8")).ExcludeFromDescription();
        review.MapGet("/review/chart.js", (HttpContext context) => Static(context, VendoredAssets.ChartJs, "text/javascript; charset=utf-8"))
            .ExcludeFromDescription();
        review.MapGet("/models/{model}/report", Report).WithTags("Scoring").RequireKey(KeyRole.Scoring)
            .WithSummary("The model's report (report.html of its bundle)")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithProblem(StatusCodes.Status404NotFound, "the model is not configured, or its bundle has no report.html");
        return review;
    }

    private static IResult Static(HttpContext context, string text, string contentType)
    {
        // The page and its script change with the Api version only; revalidate rather than serve a stale copy.
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Text(text, contentType);
    }

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> Report(string model, ModelRegistry registry)
    {
        var m = registry.Get(model);
        var path = Path.Combine(m.Bundle.Directory ?? "", ModelBundle.ReportFile);
        if (m.Bundle.Directory is null || !File.Exists(path))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"model {m.Name}'s bundle has no {ModelBundle.ReportFile}; run 'leadml report' on it");
        }
        return TypedResults.PhysicalFile(path, "text/html; charset=utf-8");
    }

    private static string Read(string name)
    {
        var resource = $"LeadML.Api.Review.{name}";
        using var stream = typeof(ReviewPage).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded file {resource} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
