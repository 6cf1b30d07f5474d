using System.Buffers;
using System.Text;
using System.Text.Json;
using LeadML.Api.Scoring;

namespace LeadML.Api.Tests.Scoring;

/// <summary>The batch answer writer writes byte for byte what the serializer writes.</summary>
public sealed class BatchWriterTests
{
    private static string Written(BatchScoreResponse answer)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) BatchWriter.Write(writer, answer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ScoreResponse Answer(double score, string? leadId = "L1", DateTimeOffset? asOf = null, bool explain = false) => new()
    {
        LeadId = leadId,
        Model = "sample",
        ModelVersion = "sample-20251201T000000Z",
        RuleSetVersion = "v3",
        RuleSetSource = "approved",
        AsOf = asOf ?? new DateTimeOffset(2025, 12, 1, 10, 30, 15, 123, TimeSpan.Zero),
        Score = score,
        Grade = score >= 60 ? "A" : "C",
        SalesReady = score >= 60,
        RulePoints = new RulePoints
        {
            Score = Math.Round(score * 0.9, 2), BasePoints = 59, Fit = 94.85, Engagement = 52.38,
            Criteria = explain ? [new FiredCriterionDto("c1", "Visited <pricing> & \"demo\"", "engagement", 12, 10, 3), new FiredCriterionDto("c2", "Industry", "fit", -5, -5, null)] : null,
        },
        ModelProbability = Math.Round(score / 317.0, 6),
        ModelPoints = new ModelPoints
        {
            Score = Math.Round(score * 1.1, 2),
            Baseline = explain ? 48.13 : null,
            Contributions = explain ? [new ContributionDto("evt.page_view.count_30d", "Pricing views", 3, 7.25), new ContributionDto("attr.x", "X", null, -0.001)] : null,
            OtherPoints = explain ? -1.5 : null,
        },
        Blend = explain ? new Blend(0.5, 40, 45.9, "score = 0.5 × rule points + 0.5 × model points") : null,
        Warnings = explain ? new ScoreWarnings { MissingAttributes = ["industry"], IgnoredEvents = 2, UnknownEventTypes = ["telepathy"] } : null,
        Features = explain ? new Dictionary<string, double> { ["attr.company_size"] = 250, ["evt.page_view.count_30d"] = 3.5 } : null,
    };

    [Fact]
    public void Write_EqualsTheSerializer_ForScoresErrorsAndExplanations()
    {
        BatchItem[] items =
        [
            new(0, Answer(100), null),
            new(1, null, new BatchError("$.leads[1].events[0].timestamp", "must be an ISO 8601 date and time, e.g. 2025-11-20T10:00:00Z")),
            new(2, Answer(42.95, leadId: null, explain: true), null),
            new(3, Answer(0, leadId: "Zürich <\"é\">", asOf: new DateTimeOffset(2025, 11, 30, 23, 0, 0, TimeSpan.FromHours(2))), null),
            new(4, Answer(0.004, asOf: new DateTimeOffset(2025, 11, 30, 23, 0, 0, TimeSpan.FromHours(2))), null),
            new(5, Answer(61.7), null),
            new(6, null, new BatchError("$.leads[6].model", "unknown model 'x'")),
        ];
        var answer = new BatchScoreResponse(5, 2, items);
        Assert.Equal(JsonSerializer.Serialize(answer, ScoringJson.Default.BatchScoreResponse), Written(answer));
        var empty = new BatchScoreResponse(0, 0, []);
        Assert.Equal(JsonSerializer.Serialize(empty, ScoringJson.Default.BatchScoreResponse), Written(empty));
    }

    [Fact]
    public void Write_PlainScores_AsTheSerializer_WhateverTheLeadIdModelAndNumbers()
    {
        // Answers without explanation are rendered in one piece; every part of them must still read as the serializer
        // writes it, including lead ids and model texts the encoder escapes and numbers it writes its own way.
        string?[] ids = ["L-1_a.b:c/d@e", "a+b", "a&b", "a'b", "a b", "<x>", "é", "tab\t", "", new string('x', 300), "9", null];
        (string Model, string Version, string RuleSet, string Source)[] models =
            [("sample", "sample-20251201T000000Z", "v3", "approved"), ("näive <b>", "v\"1\"", "suggested", "suggested")];
        double[] numbers = [0, -0.0, 100, 57, 97.49, 0.364162, -3.5, 1e-7, 1.0 / 3, 12345.678901];
        var items = new List<BatchItem>();
        for (var i = 0; i < 60; i++)
        {
            var (model, version, ruleSet, source) = models[i / 3 % 2];
            var n = numbers[i % numbers.Length];
            var answer = Answer(Math.Abs(n) <= 100 ? n : 100, leadId: ids[i % ids.Length], asOf: new DateTimeOffset(2025, 12, 1, 10, i % 4, 0, TimeSpan.FromHours(i % 5 == 0 ? 1 : 0)));
            answer = answer with
            {
                Model = model, ModelVersion = version, RuleSetVersion = ruleSet, RuleSetSource = source,
                ModelProbability = numbers[(i + 3) % numbers.Length],
                RulePoints = answer.RulePoints with { Fit = numbers[(i + 1) % numbers.Length], Engagement = numbers[(i + 2) % numbers.Length] },
                ModelPoints = answer.ModelPoints with { Score = numbers[(i + 4) % numbers.Length] },
                Warnings = i % 7 == 0 ? new ScoreWarnings { IgnoredEvents = 1 } : null,
            };
            items.Add(new BatchItem(i, answer, null));
        }
        var batch = new BatchScoreResponse(items.Count, 0, items);
        Assert.Equal(JsonSerializer.Serialize(batch, ScoringJson.Default.BatchScoreResponse), Written(batch));
    }

    private static string WriterText(double value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) writer.WriteNumberValue(value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void TryFormatRounded_WritesWhatTheJsonWriterWrites_OrDeclines()
    {
        var random = new LeadML.Features.Randomness.Xoshiro256(7);
        var values = new List<double> { 0, -0.0, 0.001, 0.0049, 1e-5, 0.00001, 100, 59, -5, 0.1 + 0.2, 1.0 / 3, 999_999_999.99, 1e9, 1e15, 123456.789012, double.Epsilon, double.MaxValue };
        for (var i = 0; i < 200_000; i++)
        {
            var x = (random.NextDouble() - 0.2) * Math.Pow(10, random.NextInt(14) - 4);
            values.Add(x);
            values.Add(Math.Round(x, 2));
            values.Add(Math.Round(x, 6));
            values.Add(Math.Round(x));
        }
        var formatted = 0;
        Span<byte> text = stackalloc byte[32];
        foreach (var v in values)
        {
            if (!BatchWriter.TryFormatRounded(v, text, out var length)) continue;
            formatted++;
            Assert.Equal(WriterText(v), Encoding.UTF8.GetString(text[..length]));
        }
        Assert.True(formatted > values.Count / 2, $"{formatted} of {values.Count}");
        Assert.True(BatchWriter.TryFormatRounded(94.85, text, out _));
        Assert.True(BatchWriter.TryFormatRounded(0.313336, text, out _));
    }
}
