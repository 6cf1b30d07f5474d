using System.Text.Json.Nodes;
using LeadML.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace LeadML.Api.Tests.OpenApi;

/// <summary>
/// The document's conventions hold for endpoints the Api does not have yet: an endpoint is documented from what it is
/// (its key role, its body, an <c>If-Match</c> header) and from what its <c>Map…</c> line declares, and the document's
/// checks report one that is not fully described, so a new endpoint without its documentation fails the tests.
/// </summary>
public sealed class OpenApiConventionTests
{
    /// <summary>A request body of a future endpoint, whose field nobody described.</summary>
    internal sealed record ThingRequest
    {
        public string? Colour { get; init; }
    }

    internal sealed record Thing(string Id);

    private static async Task<JsonObject> DocumentOf(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(LeadML.Api.Hosting.OpenApi.Configure);
        await using var app = builder.Build();
        map(app);
        await app.StartAsync();
        var document = app.Services.GetRequiredService<ISwaggerProvider>().GetSwagger("v1");
        using var text = new StringWriter();
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return JsonNode.Parse(text.ToString())!.AsObject();
    }

    [Fact]
    public async Task AnEditWithIfMatch_IsDocumentedWith412_ItsRoleAndBodyErrors_AndItsETag()
    {
        var document = await DocumentOf(app => app.MapPatch("/things/{id}", (string id, [FromHeader(Name = "If-Match")] string? ifMatch, ThingRequest body) =>
                TypedResults.Ok(new Thing(id)))
            .RequireKey(KeyRole.Reviewer)
            .WithResponseHeader("ETag", "The thing's version, for If-Match."));
        var patch = document["paths"]!["/things/{id}"]!["patch"]!;
        var responses = patch["responses"]!.AsObject();
        Assert.Equal(["200", "400", "401", "403", "412", "413", "414", "415", "429", "500"], responses.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Contains("ETag", responses["412"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("The thing's version, for If-Match.", responses["200"]!["headers"]!["ETag"]!["description"]!.GetValue<string>());
        var ifMatch = patch["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "If-Match")!;
        Assert.Contains("412", ifMatch["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(DocumentChecks.ErrorAnswers(document));
        Assert.Empty(DocumentChecks.Examples(document, out _));
        // The field without a description is reported.
        Assert.Equal(["#/components/schemas/ThingRequest: 'colour' has no description"], DocumentChecks.RequestFields(document, out _));
    }

    [Fact]
    public async Task AnEndpointThatDoesNotSayWhatItAnswers_IsReported()
    {
        var document = await DocumentOf(app =>
        {
            app.MapGet("/undocumented/{count}", (int count) => Results.Ok(new { count })).RequireKey(KeyRole.Scoring);
            app.MapGet("/documented", () => TypedResults.Ok(new Thing("t1"))).RequireKey(KeyRole.Scoring);
        });
        Assert.Equal(["GET /undocumented/{count} 200: no body described", "GET /undocumented/{count}: parameter 'count' has no description"],
            DocumentChecks.SuccessAnswers(document));
        // The role and the parameter that can fail to parse give their errors by themselves.
        var responses = document["paths"]!["/undocumented/{count}"]!["get"]!["responses"]!.AsObject();
        Assert.Equal(["200", "400", "401", "414", "429", "500"], responses.Select(r => r.Key).Order(StringComparer.Ordinal));
        // An answer's example is composed from its schema.
        var example = document["paths"]!["/documented"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        Assert.Equal(System.Text.Json.JsonValueKind.String, example["id"]!.GetValueKind());
    }
}
