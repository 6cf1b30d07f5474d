using System.Text.Json;

namespace LeadML.Api.Scoring;

/// <summary>
/// Writes a <see cref="BatchScoreResponse"/> straight to the response body, byte for byte as the serializer writes it
/// (the tests compare both), without the serializer's per-item metadata work: property names are encoded once, the
/// texts every answer of a model shares (model, versions, grades) are encoded once per batch, an <c>asOf</c> shared by
/// the leads is formatted once, and the explanation parts (present only with <c>explain=true</c>, warnings or
/// <c>features=true</c>) are handed to the serializer.
/// </summary>
internal static class BatchWriter
{
    private static readonly JsonEncodedText Scored = JsonEncodedText.Encode("scored"), Failed = JsonEncodedText.Encode("failed"),
        Items = JsonEncodedText.Encode("items"), Index = JsonEncodedText.Encode("index"), Result = JsonEncodedText.Encode("result"),
        Error = JsonEncodedText.Encode("error"), Path = JsonEncodedText.Encode("path"), Message = JsonEncodedText.Encode("message"),
        LeadId = JsonEncodedText.Encode("leadId"), Model = JsonEncodedText.Encode("model"), ModelVersion = JsonEncodedText.Encode("modelVersion"),
        RuleSetVersion = JsonEncodedText.Encode("ruleSetVersion"), RuleSetSource = JsonEncodedText.Encode("ruleSetSource"),
        AsOf = JsonEncodedText.Encode("asOf"), Score = JsonEncodedText.Encode("score"), Grade = JsonEncodedText.Encode("grade"),
        SalesReady = JsonEncodedText.Encode("salesReady"), RulePoints = JsonEncodedText.Encode("rulePoints"),
        BasePoints = JsonEncodedText.Encode("basePoints"), Fit = JsonEncodedText.Encode("fit"), Engagement = JsonEncodedText.Encode("engagement"),
        Criteria = JsonEncodedText.Encode("criteria"), ModelProbability = JsonEncodedText.Encode("modelProbability"),
        ModelPoints = JsonEncodedText.Encode("modelPoints"), Baseline = JsonEncodedText.Encode("baseline"),
        Contributions = JsonEncodedText.Encode("contributions"), OtherPoints = JsonEncodedText.Encode("otherPoints"),
        Blend = JsonEncodedText.Encode("blend"), Warnings = JsonEncodedText.Encode("warnings"), Features = JsonEncodedText.Encode("features");

    /// <summary>Sends what is written in pieces of about this size rather than holding the whole answer.</summary>
    private const int FlushBytes = 64 * 1024;

    public static async Task WriteAsync(HttpResponse response, BatchScoreResponse answer, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        var texts = WriteStart(writer, answer);
        var sent = 0L;
        foreach (var item in answer.Items)
        {
            WriteItem(writer, item, texts);
            if (writer.BytesCommitted + writer.BytesPending - sent >= FlushBytes)
            {
                writer.Flush();
                sent = writer.BytesCommitted;
                await response.BodyWriter.FlushAsync(cancellationToken);
            }
        }
        WriteEnd(writer);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>The whole answer into <paramref name="writer"/> (for tests and the in-process benchmark).</summary>
    public static void Write(Utf8JsonWriter writer, BatchScoreResponse answer)
    {
        var texts = WriteStart(writer, answer);
        foreach (var item in answer.Items) WriteItem(writer, item, texts);
        WriteEnd(writer);
    }

    private static Texts WriteStart(Utf8JsonWriter writer, BatchScoreResponse answer)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Scored, answer.Scored);
        writer.WriteNumber(Failed, answer.Failed);
        writer.WriteStartArray(Items);
        return new Texts();
    }

    private static void WriteEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteItem(Utf8JsonWriter writer, BatchItem item, Texts texts)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Index, item.Index);
        if (item.Result is { } r)
        {
            writer.WritePropertyName(Result);
            WriteScore(writer, r, texts);
        }
        else
        {
            writer.WriteNull(Result);
        }
        if (item.Error is { } e)
        {
            writer.WriteStartObject(Error);
            writer.WriteString(Path, e.Path);
            writer.WriteString(Message, e.Message);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull(Error);
        }
        writer.WriteEndObject();
    }

    /// <summary>A <see cref="ScoreResponse"/> with its properties in declaration order, as the serializer writes them.</summary>
    private static void WriteScore(Utf8JsonWriter writer, ScoreResponse r, Texts texts)
    {
        writer.WriteStartObject();
        writer.WriteString(LeadId, r.LeadId);
        writer.WriteString(Model, texts.Encoded(r.Model));
        writer.WriteString(ModelVersion, texts.Encoded(r.ModelVersion));
        writer.WriteString(RuleSetVersion, texts.Encoded(r.RuleSetVersion));
        writer.WriteString(RuleSetSource, texts.Encoded(r.RuleSetSource));
        writer.WritePropertyName(AsOf);
        writer.WriteRawValue(texts.Date(r.AsOf), skipInputValidation: true);
        Number(writer, Score, r.Score);
        writer.WriteString(Grade, texts.Encoded(r.Grade));
        writer.WriteBoolean(SalesReady, r.SalesReady);

        var rules = r.RulePoints;
        writer.WriteStartObject(RulePoints);
        Number(writer, Score, rules.Score);
        Number(writer, BasePoints, rules.BasePoints);
        Number(writer, Fit, rules.Fit);
        Number(writer, Engagement, rules.Engagement);
        if (rules.Criteria is not null)
        {
            writer.WritePropertyName(Criteria);
            JsonSerializer.Serialize(writer, rules.Criteria, ScoringJson.Default.IReadOnlyListFiredCriterionDto);
        }
        writer.WriteEndObject();

        Number(writer, ModelProbability, r.ModelProbability);
        var model = r.ModelPoints;
        writer.WriteStartObject(ModelPoints);
        Number(writer, Score, model.Score);
        if (model.Baseline is { } baseline) Number(writer, Baseline, baseline);
        if (model.Contributions is not null)
        {
            writer.WritePropertyName(Contributions);
            JsonSerializer.Serialize(writer, model.Contributions, ScoringJson.Default.IReadOnlyListContributionDto);
        }
        if (model.OtherPoints is { } other) Number(writer, OtherPoints, other);
        writer.WriteEndObject();

        if (r.Blend is not null)
        {
            writer.WritePropertyName(Blend);
            JsonSerializer.Serialize(writer, r.Blend, ScoringJson.Default.Blend);
        }
        if (r.Warnings is not null)
        {
            writer.WritePropertyName(Warnings);
            JsonSerializer.Serialize(writer, r.Warnings, ScoringJson.Default.ScoreWarnings);
        }
        if (r.Features is not null)
        {
            writer.WritePropertyName(Features);
            JsonSerializer.Serialize(writer, r.Features, ScoringJson.Default.DictionaryStringDouble);
        }
        writer.WriteEndObject();
    }

    /// <summary>A number as <see cref="Utf8JsonWriter.WriteNumber(JsonEncodedText, double)"/> writes it (the shortest
    /// text that reads back as the same double), without its general formatting for what answers mostly hold.</summary>
    private static void Number(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        Span<byte> text = stackalloc byte[32];
        if (TryFormatRounded(value, text, out var length))
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(text[..length], skipInputValidation: true);
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }

    /// <summary>
    /// Formats a value that is a whole number or one rounded to 2 or 6 decimal places (<c>Math.Round(x, 2)</c> is
    /// exactly <c>k / 100.0</c>), between 0.001 and 10^9 in size, as its plain decimal text; false for anything else.
    /// That text is the shortest that reads back as the value, because other decimals with as few digits lie at
    /// least 10^-6 away while neighbouring doubles of such values lie less than 10^-6 apart; and below 10^15 and at or
    /// above 10^-5 the shortest round-trip format writes no exponent.
    /// </summary>
    internal static bool TryFormatRounded(double value, Span<byte> text, out int length)
    {
        length = 0;
        var magnitude = Math.Abs(value);
        if (!(magnitude >= 1e-3 && magnitude < 1e9)) return false;
        foreach (var scale in Scales)
        {
            var units = Math.Round(magnitude * scale);
            if (units / scale != magnitude) continue;
            var whole = (long)units / scale;
            var fraction = (long)units % scale;
            var at = 0;
            if (value < 0) text[at++] = (byte)'-';
            System.Buffers.Text.Utf8Formatter.TryFormat(whole, text[at..], out var written);
            at += written;
            if (fraction != 0)
            {
                text[at++] = (byte)'.';
                for (var divisor = scale / 10; divisor > 0 && fraction != 0; divisor /= 10)
                {
                    text[at++] = (byte)('0' + fraction / divisor);
                    fraction %= divisor;
                }
            }
            length = at;
            return true;
        }
        return false;
    }

    private static readonly long[] Scales = [100, 1_000_000];

    /// <summary>What the answers of one batch repeat, encoded once.</summary>
    private sealed class Texts
    {
        private readonly Dictionary<string, JsonEncodedText> _encoded = new(StringComparer.Ordinal);
        private DateTimeOffset _date;
        private byte[]? _dateJson;

        public JsonEncodedText Encoded(string text)
        {
            if (_encoded.TryGetValue(text, out var encoded)) return encoded;
            encoded = JsonEncodedText.Encode(text);
            if (_encoded.Count < 256) _encoded[text] = encoded;
            return encoded;
        }

        /// <summary>The date as a quoted JSON string, in the serializer's format (the offset too).</summary>
        public ReadOnlySpan<byte> Date(DateTimeOffset date)
        {
            if (_dateJson is null || date != _date || date.Offset != _date.Offset)
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>(48);
                using (var w = new Utf8JsonWriter(buffer)) w.WriteStringValue(date);
                (_date, _dateJson) = (date, buffer.WrittenSpan.ToArray());
            }
            return _dateJson;
        }
    }
}
