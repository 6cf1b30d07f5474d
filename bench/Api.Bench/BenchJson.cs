using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadML.Api.Bench;

internal sealed record BareAnswer(double Score, string Grade, bool SalesReady, string? LeadId);

internal sealed record GcState(int Gen0, int Gen1, int Gen2, long AllocatedBytes, double PauseSeconds);

internal sealed record InProcessAnswer(long Rows, double Seconds, double RowsPerSecond, double ParseSeconds, double ScoreSeconds, double WriteSeconds);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BareAnswer))]
[JsonSerializable(typeof(GcState))]
[JsonSerializable(typeof(InProcessAnswer))]
internal sealed partial class BenchJson : JsonSerializerContext;
