using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadML.Api.Scoring;

/// <summary>Source-generated JSON for the scoring contracts: no reflection on the hot path, fast batch answers.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ScoreRequest))]
[JsonSerializable(typeof(BatchScoreRequest))]
[JsonSerializable(typeof(ScoreResponse))]
[JsonSerializable(typeof(BatchScoreResponse))]
internal sealed partial class ScoringJson : JsonSerializerContext;
