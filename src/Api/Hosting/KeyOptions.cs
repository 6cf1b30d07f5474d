namespace LeadML.Api.Hosting;

public sealed class KeyOptions
{
    /// <summary>Keys allowed to score and to read leads.</summary>
    public List<string> Scoring { get; set; } = [];

    /// <summary>Keys allowed to review rule sets (read and edit drafts, what-ifs, approve, restore); reviewer keys may
    /// also score, but not delete leads, reload, promote or roll back.</summary>
    public List<string> Reviewer { get; set; } = [];

    /// <summary>Keys allowed to administer (reload, promotion, deletes) and everything reviewers and scoring keys may.</summary>
    public List<string> Admin { get; set; } = [];

    /// <summary>Every configured key with its setting's name and role; blank entries left out.</summary>
    internal IEnumerable<(string Setting, KeyRole Role, string Key)> All()
    {
        foreach (var (role, keys) in new[] { (KeyRole.Scoring, Scoring), (KeyRole.Reviewer, Reviewer), (KeyRole.Admin, Admin) })
        {
            for (var i = 0; i < keys.Count; i++)
            {
                if (!string.IsNullOrEmpty(keys[i])) yield return ($"{LeadMlOptions.Section}:Keys:{role}:{i}", role, keys[i]);
            }
        }
    }
}
