using LeadML.Features.Rules;

namespace LeadML.Api.Scoring;

/// <summary>A scoring model in force (<c>GET /models</c>).</summary>
/// <param name="Name">The model's name, as requests select it (<c>model</c>).</param>
/// <param name="IsDefault">Whether a request naming no model is scored by this one.</param>
/// <param name="ModelVersion">The version of the bundle in force.</param>
/// <param name="ModelKind">The kind of model in the bundle, e.g. <c>Trees</c> or <c>Logistic</c>.</param>
/// <param name="RuleSetVersion">The rule set in force: <c>v3</c> for an approved version, else the bundle's suggestion.</param>
/// <param name="RuleSetSource"><c>approved</c> (a reviewed version) or <c>suggested</c> (the bundle's own).</param>
/// <param name="SalesReady">Score (0–100) at or above which a lead is sales-ready.</param>
/// <param name="Grades">The grade bands, highest first.</param>
/// <param name="TestRocAuc">ROC AUC on the bundle's test period; null when it was not measured.</param>
/// <param name="Leaks">The training's leak guard warnings that still apply, in words (empty when none).</param>
public sealed record ModelSummary(string Name, bool IsDefault, string ModelVersion, string ModelKind, string RuleSetVersion, string RuleSetSource,
    double SalesReady, IReadOnlyList<GradeBand> Grades, double? TestRocAuc, IReadOnlyList<string> Leaks);

/// <summary>A bundle loaded again (<c>POST /admin/models/{name}/reload</c>).</summary>
/// <param name="Reloaded">The model's name.</param>
/// <param name="Message">What was loaded, in words.</param>
public sealed record ReloadResponse(string Reloaded, string Message);
