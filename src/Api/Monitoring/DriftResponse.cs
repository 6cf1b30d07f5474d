namespace LeadML.Api.Monitoring;

/// <summary>Drift of the live traffic of one model (<c>GET /drift</c>).</summary>
/// <param name="Model">The model's name.</param>
/// <param name="ModelVersion">The bundle in force, whose training-time distributions are the reference.</param>
/// <param name="Observed">Requests scored since the bundle was loaded.</param>
/// <param name="Probability">PSI of the model's probability.</param>
/// <param name="Features">PSI of every feature (or of the <c>top</c> ones), most drifted first.</param>
public sealed record DriftResponse(string Model, string ModelVersion, long Observed, FeatureDrift Probability, IReadOnlyList<FeatureDrift> Features);
