using LeadML.Features.Rules;

namespace LeadML.Api.Scoring;

/// <summary>What <see cref="LeadScorer.Hybrid"/> decides for one lead: its rule points (with the criteria that fired when
/// explained), the model's points on the rules' scale, the blend weight used, the hybrid score (0–100, two decimals), its
/// grade and whether it is sales-ready.</summary>
public readonly record struct HybridScore(RuleScore Rules, double ModelPoints, double BlendWeight, double Score, string Grade, bool SalesReady);
