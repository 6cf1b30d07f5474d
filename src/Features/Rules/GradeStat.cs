namespace LeadML.Features.Rules;

/// <summary>Share and conversion rate of one grade on a set of scored leads.</summary>
/// <param name="Grade">The grade's letter (A, B…).</param>
/// <param name="MinScore">The grade's lowest score (0–100).</param>
/// <param name="Leads">Leads in the grade.</param>
/// <param name="Share">Their share of all leads (0–1).</param>
/// <param name="Conversions">How many of them converted.</param>
/// <param name="ConversionRate">Conversions per lead in the grade (0–1; 0 for an empty grade).</param>
/// <param name="LeadsPerMonth">Leads in the grade per cut-off month.</param>
public sealed record GradeStat(string Grade, double MinScore, int Leads, double Share, int Conversions, double ConversionRate, double LeadsPerMonth);
