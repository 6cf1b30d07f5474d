using System.Text.Json.Serialization;
using LeadML.Api.Scoring;
using Microsoft.AspNetCore.Http.Json;

namespace LeadML.Api.Hosting;

/// <summary>How request and answer bodies are written: the scoring contracts through their source-generated
/// serializer, enums as names, and every property present (a null included), so a client sees the whole shape. A
/// request property the contract does not have is refused, not ignored: a misspelled name must not read as absent. A date is read by <see cref="StrictDate"/>'s rule.</summary>
internal static class ApiJson
{
    public static void Configure(JsonOptions o)
    {
        o.SerializerOptions.TypeInfoResolverChain.Insert(0, ScoringJson.Default);
        o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        o.SerializerOptions.Converters.Add(new StrictDateConverter());
        o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }
}
