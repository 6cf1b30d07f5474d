namespace LeadML.Api.RuleSets;

/// <summary>One grade band's figures on the evaluation sample.</summary>
public sealed record GradeFigures(string Grade, double MinScore, string Label, int Leads, double Share, int Conversions, double ConversionRate,
    double LeadsPerMonth);

/// <summary>What a rule set does on the evaluation sample, each lead scored as <c>/score</c> scores it: the hybrid of
/// rule and model points with the blend weight in force, its grade and sales-ready.</summary>
/// <param name="RuleSet">"draft", "v3", "suggested"…</param>
/// <param name="RocAuc">ROC-AUC of the scores <c>/score</c> answers (the hybrid), null when the sample holds one outcome only.</param>
/// <param name="SalesReadyLeads">Leads <c>/score</c> calls sales-ready.</param>
/// <param name="SalesReadyPerMonth">Sales-ready leads per cut-off month.</param>
/// <param name="SalesReadyConversionRate">Share of those that converted within the horizon.</param>
/// <param name="MeanScore">The mean score <c>/score</c> answers, 0–100.</param>
public sealed record WhatIfFigures(string RuleSet, double? RocAuc, double SalesReadyThreshold, int SalesReadyLeads, double SalesReadyPerMonth,
    double SalesReadyConversionRate, double MeanScore, IReadOnlyList<GradeFigures> Grades, IReadOnlyList<string> UnknownFeatures)
{
    /// <summary>The leads the rule set's knock-outs disqualify (in the lowest grade, never sales-ready), in all and per
    /// knock-out.</summary>
    public DisqualifiedFigures Disqualified { get; init; } = new(0, 0, 0, 0, []);
    /// <summary>The fit × engagement cells (A1 … D4) with their leads and conversion rates; null when the rule set has no matrix.</summary>
    public IReadOnlyList<LeadML.Features.Rules.MatrixCell>? Matrix { get; init; }

    /// <summary>The rule points alone, without the model's part: what the figures would be if the score were the points.</summary>
    public RulePointsFigures? RulePointsAlone { get; init; }
}

/// <summary>The rule points alone on the evaluation sample, beside the scores <c>/score</c> answers.</summary>
/// <param name="RocAuc">ROC-AUC of the rule points alone; null when the sample holds one outcome only.</param>
/// <param name="SalesReadyLeads">Leads whose rule points alone reach the sales-ready threshold (a lead a knock-out disqualifies never counts).</param>
/// <param name="SalesReadyPerMonth">Those leads per cut-off month.</param>
/// <param name="MeanPoints">The mean rule points, 0–100.</param>
public sealed record RulePointsFigures(double? RocAuc, int SalesReadyLeads, double SalesReadyPerMonth, double MeanPoints);

/// <summary>A candidate beside the rule set in force, on the bundle's test-period snapshots.</summary>
public sealed record WhatIfResult(string Model, string ModelVersion, int Rows, int Conversions, int Months, DateTime? FirstCutoff,
    DateTime? LastCutoff, WhatIfFigures Candidate, WhatIfFigures InForce)
{
    /// <summary>The model's weight w in <c>score = (1 − w) × rule points + w × model points</c> (the Api's
    /// <c>LeadML:BlendWeight</c>), 0–1: the scores are those <c>/score</c> answers with it.</summary>
    public double BlendWeight { get; init; }

    /// <summary>The blend, in words and figures, as <c>/score</c> explains it.</summary>
    public string Formula { get; init; } = "";
}

/// <summary>The sample leads knock-outs disqualify.</summary>
/// <param name="Leads">Leads at least one enabled knock-out fires for.</param>
/// <param name="PerMonth">Those leads per cut-off month.</param>
/// <param name="Conversions">How many of them converted within the horizon.</param>
/// <param name="ConversionRate">Conversions / leads, 0–1 (0 with no lead).</param>
/// <param name="KnockOuts">Per enabled knock-out, the leads it fires for.</param>
public sealed record DisqualifiedFigures(int Leads, double PerMonth, int Conversions, double ConversionRate, IReadOnlyList<KnockOutFigures> KnockOuts);

/// <summary>One knock-out on the evaluation sample.</summary>
/// <param name="Id">The knock-out's id.</param>
/// <param name="Label">Its label, in words.</param>
/// <param name="Leads">Sample leads it fires for.</param>
/// <param name="Conversions">How many of them converted.</param>
/// <param name="ConversionRate">Conversions / leads, 0–1.</param>
public sealed record KnockOutFigures(string Id, string Label, int Leads, int Conversions, double ConversionRate);
