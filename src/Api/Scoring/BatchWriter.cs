using System.Buffers;
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
        if (TryRenderPlain(item, texts, out var rendered))
        {
            writer.WriteRawValue(rendered, skipInputValidation: true);
            return;
        }
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

    /// <summary>
    /// An item with a score and nothing to explain (what <c>explain=false</c> answers when nothing was odd), rendered
    /// into one piece of bytes as <see cref="WriteItem"/> would write it: most batches are made of these, and writing
    /// them property by property cost about a third of the time spent on their JSON. False, and nothing rendered, for
    /// anything else (an error, an explanation, warnings, a lead id the encoder would escape, a number that is not a
    /// rounded one).
    /// </summary>
    private static bool TryRenderPlain(BatchItem item, Texts texts, out ReadOnlySpan<byte> rendered)
    {
        rendered = default;
        if (item is not { Result: { } r, Error: null }
            || r.RulePoints.Criteria is not null || r.ModelPoints.Baseline is not null || r.ModelPoints.Contributions is not null
            || r.ModelPoints.OtherPoints is not null || r.Blend is not null || r.Warnings is not null || r.Features is not null
            || (r.LeadId is { } id && !IsPlain(id)))
        {
            return false;
        }
        var header = texts.Header(r);
        var date = texts.Date(r.AsOf);
        var grade = texts.Encoded(r.Grade).EncodedUtf8Bytes;
        var bytes = texts.Scratch(header.Length + date.Length + grade.Length + (r.LeadId?.Length ?? 0) + 512);
        var at = 0;
        if (!(Put(bytes, ref at, "{\"index\":"u8) && Formatted(bytes, ref at, item.Index)
            && Put(bytes, ref at, ",\"result\":{\"leadId\":"u8) && LeadIdText(bytes, ref at, r.LeadId)
            && Put(bytes, ref at, header) && Put(bytes, ref at, date)
            && Put(bytes, ref at, ",\"score\":"u8) && Rounded(bytes, ref at, r.Score)
            && Put(bytes, ref at, ",\"grade\":\""u8) && Put(bytes, ref at, grade)
            && Put(bytes, ref at, r.SalesReady ? "\",\"salesReady\":true"u8 : "\",\"salesReady\":false"u8)
            && Put(bytes, ref at, ",\"rulePoints\":{\"score\":"u8) && Rounded(bytes, ref at, r.RulePoints.Score)
            && Put(bytes, ref at, ",\"basePoints\":"u8) && Rounded(bytes, ref at, r.RulePoints.BasePoints)
            && Put(bytes, ref at, ",\"fit\":"u8) && Rounded(bytes, ref at, r.RulePoints.Fit)
            && Put(bytes, ref at, ",\"engagement\":"u8) && Rounded(bytes, ref at, r.RulePoints.Engagement)
            && Put(bytes, ref at, "},\"modelProbability\":"u8) && Rounded(bytes, ref at, r.ModelProbability)
            && Put(bytes, ref at, ",\"modelPoints\":{\"score\":"u8) && Rounded(bytes, ref at, r.ModelPoints.Score)
            && Put(bytes, ref at, "}},\"error\":null}"u8)))
        {
            return false;
        }
        rendered = bytes.AsSpan(0, at);
        return true;
    }

    private static bool Put(Span<byte> bytes, ref int at, ReadOnlySpan<byte> text)
    {
        if (!text.TryCopyTo(bytes[at..])) return false;
        at += text.Length;
        return true;
    }

    private static bool Formatted(Span<byte> bytes, ref int at, int value)
    {
        if (!System.Buffers.Text.Utf8Formatter.TryFormat(value, bytes[at..], out var written)) return false;
        at += written;
        return true;
    }

    private static bool Rounded(Span<byte> bytes, ref int at, double value)
    {
        if (bytes.Length - at < 32 || !TryFormatRounded(value, bytes[at..], out var written)) return false;
        at += written;
        return true;
    }

    private static bool LeadIdText(Span<byte> bytes, ref int at, string? id)
    {
        if (id is null) return Put(bytes, ref at, "null"u8);
        if (bytes.Length - at < id.Length + 2) return false;
        bytes[at++] = (byte)'"';
        at += System.Text.Encoding.ASCII.GetBytes(id, bytes[at..]);
        bytes[at++] = (byte)'"';
        return true;
    }

    /// <summary>Letters, digits and <c>- _ . : / @</c> only: text the JSON encoder writes as it is.</summary>
    private static bool IsPlain(string text)
    {
        if (text.Length > 256) return false;
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '@')) return false;
        }
        return true;
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
        if (value == 0)
        {
            // The writer's text for zero keeps its sign.
            var zero = double.IsNegative(value) ? "-0"u8 : "0"u8;
            zero.CopyTo(text);
            length = zero.Length;
            return true;
        }
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
        private readonly Dictionary<(string, string, string, string), byte[]> _headers = [];
        private (string? Model, string? ModelVersion, string? RuleSetVersion, string? RuleSetSource, byte[] Bytes) _header;
        private byte[] _scratch = new byte[1024];
        private DateTimeOffset _date;
        private byte[]? _dateJson;

        /// <summary>A buffer of at least <paramref name="size"/> bytes to render an item into, reused item after item.</summary>
        public byte[] Scratch(int size)
        {
            if (_scratch.Length < size) _scratch = new byte[Math.Max(size, 2 * _scratch.Length)];
            return _scratch;
        }

        /// <summary>What an answer says of its model, up to the value of <c>asOf</c>:
        /// <c>,"model":…,"modelVersion":…,"ruleSetVersion":…,"ruleSetSource":…,"asOf":</c>.</summary>
        public byte[] Header(ScoreResponse r)
        {
            if (ReferenceEquals(r.Model, _header.Model) && ReferenceEquals(r.ModelVersion, _header.ModelVersion)
                && ReferenceEquals(r.RuleSetVersion, _header.RuleSetVersion) && ReferenceEquals(r.RuleSetSource, _header.RuleSetSource))
            {
                return _header.Bytes;
            }
            var key = (r.Model, r.ModelVersion, r.RuleSetVersion, r.RuleSetSource);
            if (!_headers.TryGetValue(key, out var bytes))
            {
                var buffer = new ArrayBufferWriter<byte>(256);
                Append(buffer, ",\"model\":\""u8, Encoded(r.Model), "\",\"modelVersion\":\""u8, Encoded(r.ModelVersion));
                Append(buffer, "\",\"ruleSetVersion\":\""u8, Encoded(r.RuleSetVersion), "\",\"ruleSetSource\":\""u8, Encoded(r.RuleSetSource));
                buffer.Write("\",\"asOf\":"u8);
                bytes = buffer.WrittenSpan.ToArray();
                if (_headers.Count < 64) _headers[key] = bytes;
            }
            _header = (r.Model, r.ModelVersion, r.RuleSetVersion, r.RuleSetSource, bytes);
            return bytes;
        }

        private static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> a, JsonEncodedText b, ReadOnlySpan<byte> c, JsonEncodedText d)
        {
            buffer.Write(a);
            buffer.Write(b.EncodedUtf8Bytes);
            buffer.Write(c);
            buffer.Write(d.EncodedUtf8Bytes);
        }

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
                var buffer = new ArrayBufferWriter<byte>(48);
                using (var w = new Utf8JsonWriter(buffer)) w.WriteStringValue(date);
                (_date, _dateJson) = (date, buffer.WrittenSpan.ToArray());
            }
            return _dateJson;
        }
    }
}
