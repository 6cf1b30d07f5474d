using System.Text.Json.Serialization;

namespace LeadML.Features.Featurization;

/// <summary>Whether a feature describes who the lead is (explicit, fit) or what the lead does (implicit, engagement).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CriterionGroup>))]
public enum CriterionGroup
{
    Fit,
    Engagement,
}
