using System.Text.Json.Serialization;

namespace LeadML.Features.Bundles;

/// <summary>Which kind of model a bundle holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelKind>))]
public enum ModelKind
{
    /// <summary>Gradient-boosted trees (XGBoost, <c>model.ubj</c>).</summary>
    Trees,
    /// <summary>L2-regularised logistic regression (<c>linear.json</c>).</summary>
    Linear,
}
