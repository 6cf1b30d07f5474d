using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LeadML.Api.Hosting;
using LeadML.Api.Leads;

namespace LeadML.Api.Tests.Hosting;

/// <summary>Which known name a misspelled one is taken for, and where the serializer's path says it was sent.</summary>
public sealed class UnknownPropertyTests
{
    private static readonly string[] LeadNames = ["model", "leadId", "attributes", "events", "createdAt", "asOf"];

    [Theory]
    [InlineData("attribute", "attributes")]
    [InlineData("evnts", "events")]
    [InlineData("created_at", "createdAt")]
    [InlineData("CREATEDAT", "createdAt")]
    [InlineData("lead-id", "leadId")]
    [InlineData("eventz", "events")]
    [InlineData("atributs", "attributes")]
    public void Closest_ANameAFewEditsAway_IsSuggested(string name, string expected) =>
        Assert.Equal(expected, UnknownProperty.Closest(name, LeadNames));

    [Theory]
    [InlineData("foo")]
    [InlineData("score")]
    [InlineData("x")]
    public void Closest_NoNameNearby_SuggestsNothing(string name) =>
        Assert.Null(UnknownProperty.Closest(name, LeadNames));

    [Theory]
    [InlineData("detial", "detail", 1)]
    [InlineData("ca", "abc", 3)]
    [InlineData("events", "events", 0)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_CountsASwapOfNeighboursAsOneEdit(string a, string b, int expected) =>
        Assert.Equal(expected, UnknownProperty.Distance(a, b));

    [Fact]
    public void Message_WithoutACloseName_ListsTheKnownOnes() =>
        Assert.Equal("is not a known property; the known ones are 'type', 'detail'", UnknownProperty.Message("foo", ["type", "detail"]));

    [Theory]
    [InlineData("$.evnts", "evnts", "model")]
    [InlineData("$.events[2].detial", "detial", "eventId")]
    [InlineData("$['a b']", "a b", "events")]
    public void Find_FollowsThePathToTheObjectThatLacksTheName(string path, string name, string aKnownName)
    {
        var found = UnknownProperty.Find(Options(), typeof(LeadEventsRequest), path);

        Assert.NotNull(found);
        Assert.Equal(name, found.Value.Name);
        Assert.Contains(aKnownName, found.Value.Known);
    }

    [Theory]
    [InlineData("$.events")]
    [InlineData("$.events[0].type")]
    [InlineData("$.timestamp")]
    public void Find_APropertyTheContractHas_IsNotUnknown(string path) =>
        Assert.Null(UnknownProperty.Find(Options(), typeof(LeadEventsRequest), path));

    private static JsonSerializerOptions Options() => new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
}
