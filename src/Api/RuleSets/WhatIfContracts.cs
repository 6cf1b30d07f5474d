namespace LeadML.Api.RuleSets;

/// <summary>One grade band's figures on the evaluation sample.</summary>
public sealed record GradeFigures(string Grade, double MinScore, string Label, int Leads, double Share, int Conversions, double ConversionRate,
    double LeadsPerMonth);

/// <summary>What a rule set does on the evaluation sample.</summary>
/// <param name="RuleSet">"draft", "v3", "suggested"…</param>
/// <param name="RocAuc">Points-only ROC-AUC (null when the sample holds one outcome only).</param>
/// <param name="SalesReadyPerMonth">Leads at or above the sales-ready threshold per cut-off month.</param>
/// <param name="SalesReadyConversionRate">Share of those that converted within the horizon.</param>
public sealed record WhatIfFigures(string RuleSet, double? RocAuc, double SalesReadyThreshold, int SalesReadyLeads, double SalesReadyPerMonth,
    double SalesReadyConversionRate, double MeanScore, IReadOnlyList<GradeFigures> Grades, IReadOnlyList<string> UnknownFeatures)
{
    /// <summary>The fit × engagement cells (A1 … D4) with their leads and conversion rates; null when the rule set has no matrix.</summary>
    public IReadOnlyList<LeadML.Features.Rules.MatrixCell>? Matrix { get; init; }
}

/// <summary>A candidate beside the rule set in force, on the bundle's test-period snapshots.</summary>
public sealed record WhatIfResult(string Model, string ModelVersion, int Rows, int Conversions, int Months, DateTime? FirstCutoff,
    DateTime? LastCutoff, WhatIfFigures Candidate, WhatIfFigures InForce);
