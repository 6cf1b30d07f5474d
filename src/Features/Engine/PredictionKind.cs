namespace LeadML.Features.Engine;

/// <summary>The <c>type</c> of <c>XGBoosterPredictFromDMatrix</c>.</summary>
internal enum PredictionKind
{
    Value = 0,
    Margin = 1,
    Contributions = 2,
    ApproximateContributions = 3,
}
