using System.Text.Json.Serialization;

namespace LeadML.Features.Engine;

/// <summary>How a model's margin is turned into a probability.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CalibrationKind>))]
public enum CalibrationKind
{
    /// <summary>The plain logistic function of the margin.</summary>
    None,

    /// <summary>Platt scaling: a logistic function of an affine map of the margin.</summary>
    Platt,

    /// <summary>Isotonic regression, stored as a monotone piecewise-linear map from margin to probability.</summary>
    Isotonic,
}
