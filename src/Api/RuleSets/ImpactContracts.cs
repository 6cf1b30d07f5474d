namespace LeadML.Api.RuleSets;

/// <summary>
/// What putting a rule set in force would do now to the stored open leads (not converted), each scored as the rescoring
/// after an approval scores it (as of now, from its stored attributes and events, with the blend weight in force) and
/// compared with its stored state, as the rescoring compares it.
/// </summary>
/// <param name="Model">The scoring model.</param>
/// <param name="ModelVersion">Its model version.</param>
/// <param name="RuleSet">The rule set weighed: "draft", "v3", "suggested"…</param>
/// <param name="InForce">The rule set in force now: "suggested" or "v3".</param>
/// <param name="AsOf">The time the leads were scored at (now).</param>
/// <param name="LeadStore">Whether the Api keeps a lead store; without one there are no stored leads and every count is 0.</param>
/// <param name="OpenLeads">Stored leads not converted: those the rescoring would score again.</param>
/// <param name="GradeChanges">Of those, how many would get another grade than the one stored.</param>
/// <param name="GradeMoves">The grade changes by stored grade and new grade, most leads first.</param>
/// <param name="SalesReadyBefore">Open leads sales-ready now (their stored state).</param>
/// <param name="SalesReadyAfter">Open leads sales-ready after the change.</param>
/// <param name="BecomeSalesReady">Leads that would become sales-ready (each raises a "sales-ready" alert).</param>
/// <param name="StopBeingSalesReady">Leads that would stop being sales-ready (each raises a "gone-cold" alert).</param>
/// <param name="Alerts">Alerts that would fire: the two above, up to <paramref name="MaxPerRuleSetChange"/>.</param>
/// <param name="AlertsHeldBack">Alerts the cap would hold back (the leads' state still changes, without an alert).</param>
/// <param name="MaxPerRuleSetChange">The most alerts one new rule set may raise (<c>LeadML:Alerts:MaxPerRuleSetChange</c>).</param>
public sealed record RuleSetImpact(string Model, string ModelVersion, string RuleSet, string InForce, DateTimeOffset AsOf, bool LeadStore, int OpenLeads,
    int GradeChanges, IReadOnlyList<GradeMove> GradeMoves, int SalesReadyBefore, int SalesReadyAfter, int BecomeSalesReady, int StopBeingSalesReady,
    int Alerts, int AlertsHeldBack, int MaxPerRuleSetChange);

/// <summary>Leads that would move from one grade to another.</summary>
/// <param name="From">The stored grade; null for leads not scored yet.</param>
/// <param name="To">The grade after the change.</param>
/// <param name="Leads">How many leads.</param>
public sealed record GradeMove(string? From, string To, int Leads);
