namespace LeadML.Api.Hosting;

public sealed class KeyOptions
{
    /// <summary>Keys allowed to score and to read leads.</summary>
    public List<string> Scoring { get; set; } = [];

    /// <summary>Keys allowed to administer (reload, rule sets, deletes); admin keys may also score.</summary>
    public List<string> Admin { get; set; } = [];
}
