using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Api.Scoring;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadML.Api.Tests.Scoring;

/// <summary>The batch answer is written item by item: an item whose answer cannot be written becomes that item's
/// error and the answer stays whole, valid JSON.</summary>
public sealed class BatchAnswerTests
{
    private static ScoreResponse Scored(string leadId, Dictionary<string, double>? features = null) => new()
    {
        LeadId = leadId, Model = "sample", ModelVersion = "m1", RuleSetVersion = "v1", RuleSetSource = "approved",
        AsOf = new DateTimeOffset(2025, 12, 2, 9, 30, 0, TimeSpan.Zero), Score = 61.5, Grade = "B", SalesReady = false,
        RulePoints = new RulePoints { Score = 40, BasePoints = 10, Fit = 50, Engagement = 30 },
        ModelProbability = 0.31, ModelPoints = new ModelPoints { Score = 70 }, Features = features,
    };

    private static async Task<string> Write(IReadOnlyList<BatchItem> items)
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        await BatchAnswer.Of(items, ScoringJson.Default.BatchItem, NullLogger.Instance).ExecuteAsync(context);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(body.Length, context.Response.ContentLength);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }

    [Fact]
    public async Task ItemWhoseAnswerCannotBeWritten_BecomesItsError_AndTheOthersStay()
    {
        // A feature value that is not a number: the serializer refuses to write NaN, a real failure of one item.
        BatchItem[] items =
        [
            new(0, Scored("a"), null),
            new(1, Scored("b", new() { ["visits"] = double.NaN }), null),
            new(2, null, new BatchError("$.leads[2].createdAt", "is after asOf")),
            new(3, Scored("d"), null),
        ];

        var answer = JsonNode.Parse(await Write(items))!;

        Assert.Equal(2, (int)answer["scored"]!);
        Assert.Equal(2, (int)answer["failed"]!);
        var written = answer["items"]!.AsArray();
        Assert.Equal([0, 1, 2, 3], written.Select(i => (int)i!["index"]!));
        Assert.Equal("a", (string)written[0]!["result"]!["leadId"]!);
        Assert.Null(written[1]!["result"]);
        Assert.Equal("$.leads[1]", (string)written[1]!["error"]!["path"]!);
        Assert.Equal(BatchAnswer.Unwritable, (string)written[1]!["error"]!["message"]!);
        Assert.Equal("$.leads[2].createdAt", (string)written[2]!["error"]!["path"]!);
        Assert.Equal("d", (string)written[3]!["result"]!["leadId"]!);
    }

    [Fact]
    public async Task AnswerWithoutFailures_IsWhatTheSerializerWritesForTheWholeBatch()
    {
        BatchItem[] items = [new(0, Scored("a", new() { ["visits"] = 3 }), null), new(1, null, new BatchError("$.leads[1]", "must be an object"))];

        var text = await Write(items);

        Assert.Equal(JsonSerializer.Serialize(new BatchScoreResponse(1, 1, items), ScoringJson.Default.BatchScoreResponse), text);
    }

    [Fact]
    public async Task EmptyBatch_IsAnEmptyList()
    {
        Assert.Equal("{\"scored\":0,\"failed\":0,\"items\":[]}", await Write([]));
    }
}
