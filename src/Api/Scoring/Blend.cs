using System.Globalization;

namespace LeadML.Api.Scoring;

/// <summary>How the hybrid score was made.</summary>
public sealed record Blend(double ModelWeight, double RuleScore, double ModelScore, string Formula)
{
    /// <summary>The blend with model weight <paramref name="w"/> in words and figures: <c>score = 0.5 × rule points + 0.5 × model points</c>.</summary>
    public static string Describe(double w) =>
        string.Create(CultureInfo.InvariantCulture, $"score = {1 - w:0.##} × rule points + {w:0.##} × model points");
}
