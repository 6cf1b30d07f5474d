using LeadML.Api.Hosting;
using LeadML.Api.RuleSets;
using LeadML.Api.Scoring;

namespace LeadML.Api.Tests.Hosting;

/// <summary>Which failure answers which status: an unknown resource is a 404 only when the Api says so by its type.</summary>
public sealed class ProblemsTests
{
    [Fact]
    public void Describe_MissingDictionaryKey_IsAnInternalErrorWithoutItsMessage()
    {
        var (status, _, path, detail) = Problems.Describe(new KeyNotFoundException("The given key 'industry' was not present in the dictionary."));

        Assert.Equal(500, status);
        Assert.Null(path);
        Assert.DoesNotContain("industry", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_UnknownRuleSetVersion_IsNotFoundNamingIt()
    {
        var (status, _, _, detail) = Problems.Describe(new UnknownRuleSetException("sample", 7));

        Assert.Equal(404, status);
        Assert.Equal("model sample has no rule set version 7", detail);
    }

    [Fact]
    public void Describe_UnknownModel_IsNotFoundAtTheModelField()
    {
        var (status, _, path, detail) = Problems.Describe(new UnknownModelException("nope", ["sample"]));

        Assert.Equal(404, status);
        Assert.Equal("$.model", path);
        Assert.Contains("'nope'", detail, StringComparison.Ordinal);
    }
}
