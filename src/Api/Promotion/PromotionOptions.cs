namespace LeadML.Api.Promotion;

/// <summary>Champion and challenger (section <c>LeadML:Promotion</c>).</summary>
public sealed class PromotionOptions
{
    public const string Section = "LeadML:Promotion";

    /// <summary>Promote a compared bundle automatically when the comparison finds it not worse on any metric (ROC-AUC,
    /// PR-AUC, calibration error, top-decile lift). Default false: promotion is an explicit admin action.</summary>
    public bool Auto { get; set; }
}
