using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadML.Api.Scoring;

/// <summary>The one writer of score answers, one lead or a batch: source-generated JSON, no reflection on the hot path.
/// (Requests are read by <see cref="LeadReader"/>.)</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ScoreResponse))]
[JsonSerializable(typeof(BatchScoreResponse))]
[JsonSerializable(typeof(BatchItem))]
internal sealed partial class ScoringJson : JsonSerializerContext;
