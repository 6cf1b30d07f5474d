namespace LeadML.Api.Hosting;

/// <summary>Who a key belongs to. Each role holds every right of the roles before it: a reviewer may also score, an
/// admin may do everything.</summary>
public enum KeyRole
{
    /// <summary>Scores, stores leads and events, reads leads, alerts and reports.</summary>
    Scoring,

    /// <summary>Also reads and edits rule-set drafts, runs what-ifs, approves and restores rule sets.</summary>
    Reviewer,

    /// <summary>Also deletes leads and conversions, reloads, compares, promotes and rolls back bundles.</summary>
    Admin,
}
