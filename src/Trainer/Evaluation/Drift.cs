using LeadML.Features.Monitoring;

namespace LeadML.Trainer.Evaluation;

/// <summary>Population stability index (PSI) of a feature between a reference period and a current one.</summary>
internal static class Drift
{
    public const double ModerateFrom = PsiBins.ModerateFrom;

    public const double SignificantFrom = PsiBins.SignificantFrom;

    /// <summary>PSI of <paramref name="current"/> against bins fixed on <paramref name="reference"/> (see <see cref="PsiBins"/>).</summary>
    public static double Psi(ReadOnlySpan<float> reference, ReadOnlySpan<float> current, int bins = 10)
    {
        if (reference.IsEmpty || current.IsEmpty)
        {
            throw new ArgumentException($"PSI needs values in both periods (reference {reference.Length}, current {current.Length})");
        }
        return PsiBins.From(reference, bins).Psi(current);
    }

    public static string Band(double psi) => PsiBins.Band(psi);
}
