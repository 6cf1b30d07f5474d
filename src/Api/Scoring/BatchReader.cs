using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace LeadML.Api.Scoring;

/// <summary>One lead of a batch as read: its request, or the problem with it (its JSON path and a message). A JSON
/// null has neither; scoring reports it as "must be an object".</summary>
internal readonly record struct BatchLead(ScoreRequest? Request, BatchError? Error);

/// <summary>A batch body as read: the batch's model and its leads in order.</summary>
internal sealed record BatchBody(string? Model, IReadOnlyList<BatchLead> Leads);

/// <summary>
/// Reads a <see cref="BatchScoreRequest"/> body in one pass over its UTF-8 bytes into the same <see cref="ScoreRequest"/>
/// values the serializer builds for <c>POST /score</c> (property names matched case-insensitively, attributes as
/// <see cref="AttributeTextConverter"/> reads them), so a lead scores alike alone and in a batch. Reading 1,000 leads
/// through the serializer cost more than half as much CPU as scoring them, so this reader matches property names
/// without allocating and shares repeated texts (attribute names and values, event types and details, model names)
/// across the leads of a batch instead of allocating them per lead. A field of a lead with the wrong JSON type or an
/// unreadable date fails only that lead, with the field's path; malformed JSON fails the request.
/// </summary>
internal static class BatchReader
{
    private static readonly Name[] BatchNames = [new("model"), new("leads")];
    private static readonly Name[] LeadNames = [new("model"), new("leadId"), new("attributes"), new("events"), new("createdAt"), new("asOf")];
    private static readonly Name[] EventNames = [new("type"), new("detail"), new("timestamp")];

    private const string DateMessage = "must be an ISO 8601 date and time, e.g. 2025-11-20T10:00:00Z";

    /// <summary>Reads the request body whole (Kestrel enforces the size limit) and then the batch in it.</summary>
    public static async Task<BatchBody> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var pipe = request.BodyReader;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 0, 4096, Array.MaxLength));
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await pipe.ReadAsync(cancellationToken);
                foreach (var segment in read.Buffer)
                {
                    if (filled + segment.Length > buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(2L * buffer.Length, filled + segment.Length), Array.MaxLength));
                        buffer.AsSpan(0, filled).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    segment.Span.CopyTo(buffer.AsSpan(filled));
                    filled += segment.Length;
                }
                pipe.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted) break;
            }
            return Read(buffer.AsSpan(0, filled), limit);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a batch; more than <paramref name="limit"/> leads, or no <c>leads</c>, fail the request.</summary>
    public static BatchBody Read(ReadOnlySpan<byte> json, int limit)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var texts = new Texts();
        string? model = null;
        List<BatchLead>? leads = null;
        var count = 0;
        var index = -1;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) throw new RequestValidationException("$", "the body must be a JSON object: { \"leads\": [ … ] }");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = Which(ref reader, BatchNames);
                reader.Read();
                if (which == 0)
                {
                    if (!TryText(ref reader, texts, out model)) throw new RequestValidationException("$.model", "must be a string");
                }
                else if (which == 1)
                {
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        leads = null;
                        continue;
                    }
                    if (reader.TokenType != JsonTokenType.StartArray) throw new RequestValidationException("$.leads", "must be an array of leads");
                    leads = [];
                    count = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        index = count;
                        if (count < limit) leads.Add(ReadLead(ref reader, count, texts));
                        else reader.Skip();
                        count++;
                    }
                    index = -1;
                }
                else
                {
                    reader.Skip();
                }
            }
            // Anything but white space after the body's object is malformed JSON (the reader throws).
            reader.Read();
        }
        catch (JsonException e) when (e.Path is null)
        {
            // As the serializer reports it: the reader's message without its position, then the path and position.
            var message = e.Message;
            var cut = message.LastIndexOf(" LineNumber:", StringComparison.Ordinal);
            throw Unreadable(cut > 0 ? message[..cut] : message, index, e.LineNumber, e.BytePositionInLine, e);
        }
        catch (InvalidOperationException e)
        {
            // The reader's way of saying a string is not valid UTF-8.
            throw Unreadable(e.Message, index, null, reader.BytesConsumed, e);
        }
        if (leads is null) throw new RequestValidationException("$.leads", "is required");
        if (count > limit) throw new RequestValidationException("$.leads", $"holds {count:N0} leads; the limit is {limit:N0} per batch");
        return new BatchBody(model, leads);
    }

    private static JsonException Unreadable(string message, int index, long? line, long? position, Exception inner)
    {
        var path = index >= 0 ? $"$.leads[{index}]" : "$";
        return new JsonException($"{message} Path: {path} | LineNumber: {line} | BytePositionInLine: {position}.", path, line, position, inner);
    }

    /// <summary>One lead, from its first token to its last; a wrong type is kept as the lead's error (the first one in
    /// the document) and reading goes on to the lead's end.</summary>
    private static BatchLead ReadLead(ref Utf8JsonReader reader, int index, Texts texts)
    {
        if (reader.TokenType == JsonTokenType.Null) return default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return Failed(index, "", "must be an object");
        }
        string? model = null, leadId = null;
        Dictionary<string, string?>? attributes = null;
        List<EventInput>? events = null;
        DateTimeOffset? createdAt = null, asOf = null;
        (string Path, string Message)? fault = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = Which(ref reader, LeadNames);
            reader.Read();
            switch (which)
            {
                case 0:
                    if (!TryText(ref reader, texts, out model)) fault ??= (".model", "must be a string");
                    break;
                case 1:
                    if (!TryText(ref reader, null, out leadId)) fault ??= (".leadId", "must be a string");
                    break;
                case 2:
                    attributes = ReadAttributes(ref reader, texts, ref fault);
                    break;
                case 3:
                    events = ReadEvents(ref reader, texts, ref fault);
                    break;
                case 4:
                    if (!TryDate(ref reader, out createdAt)) fault ??= (".createdAt", DateMessage);
                    break;
                case 5:
                    if (!TryDate(ref reader, out asOf)) fault ??= (".asOf", DateMessage);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (fault is { } f) return Failed(index, f.Path, f.Message);
        return new BatchLead(new ScoreRequest { Model = model, LeadId = leadId, Attributes = attributes, Events = events, CreatedAt = createdAt, AsOf = asOf }, null);
    }

    private static BatchLead Failed(int index, string path, string message) => new(null, new BatchError($"$.leads[{index}]{path}", message));

    /// <summary>As <see cref="AttributeTextConverter"/>: strings as they are, numbers as written, true/false, null as
    /// missing, any other value marked <see cref="AttributeTextConverter.Invalid"/> for scoring to report.</summary>
    private static Dictionary<string, string?>? ReadAttributes(ref Utf8JsonReader reader, Texts texts, ref (string, string)? fault)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            fault ??= (".attributes", "must be an object of name: value");
            return null;
        }
        var result = new Dictionary<string, string?>(texts.AttributeCount, StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = texts.Get(ref reader);
            reader.Read();
            result[name] = reader.TokenType switch
            {
                JsonTokenType.String => texts.Get(ref reader),
                JsonTokenType.Number => texts.Ascii(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.Null => null,
                _ => Invalid(ref reader),
            };
        }
        texts.AttributeCount = result.Count;
        return result;
    }

    private static string Invalid(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return AttributeTextConverter.Invalid;
    }

    private static List<EventInput>? ReadEvents(ref Utf8JsonReader reader, Texts texts, ref (string, string)? fault)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            fault ??= (".events", "must be an array of events");
            return null;
        }
        var result = new List<EventInput>(texts.EventCount);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var i = result.Count;
            if (reader.TokenType == JsonTokenType.Null)
            {
                result.Add(null!);
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                fault ??= ($".events[{i}]", "must be an object");
                result.Add(null!);
                continue;
            }
            string? type = null, detail = null;
            DateTimeOffset? timestamp = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = Which(ref reader, EventNames);
                reader.Read();
                switch (which)
                {
                    case 0:
                        if (!TryText(ref reader, texts, out type)) fault ??= ($".events[{i}].type", "must be a string");
                        break;
                    case 1:
                        if (!TryText(ref reader, texts, out detail)) fault ??= ($".events[{i}].detail", "must be a string");
                        break;
                    case 2:
                        if (!TryDate(ref reader, out timestamp)) fault ??= ($".events[{i}].timestamp", DateMessage);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            result.Add(new EventInput { Type = type, Detail = detail, Timestamp = timestamp });
        }
        texts.EventCount = result.Count;
        return result;
    }

    /// <summary>A string or null; anything else is skipped and false.</summary>
    private static bool TryText(ref Utf8JsonReader reader, Texts? texts, out string? value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = texts is null ? reader.GetString() : texts.Get(ref reader);
                return true;
            case JsonTokenType.Null:
                value = null;
                return true;
            default:
                reader.Skip();
                value = null;
                return false;
        }
    }

    /// <summary>A date as the serializer reads <see cref="DateTimeOffset"/> (ISO 8601), or null; anything else is
    /// skipped and false.</summary>
    private static bool TryDate(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return false;
        }
        if (!reader.TryGetDateTimeOffset(out var date)) return false;
        value = date;
        return true;
    }

    /// <summary>Which of <paramref name="names"/> the current property is, matched as the serializer's web defaults
    /// match (ordinal, ignoring case); -1 for none.</summary>
    private static int Which(ref Utf8JsonReader reader, Name[] names)
    {
        var utf8 = reader.ValueSpan;
        if (!reader.ValueIsEscaped && System.Text.Ascii.IsValid(utf8))
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (System.Text.Ascii.EqualsIgnoreCase(utf8, names[i].Utf8)) return i;
            }
            return -1;
        }
        var text = reader.GetString();
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(text, names[i].Text, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    private sealed class Name(string text)
    {
        public string Text { get; } = text;
        public byte[] Utf8 { get; } = Encoding.UTF8.GetBytes(text);
    }

    /// <summary>
    /// The texts of one batch, each allocated once: the same attribute names, categories, event types and details
    /// recur in every lead. Looked up by their UTF-8 bytes, hashed from their length and first and last bytes (a
    /// lookup cost about a quarter of reading a lead when it went through UTF-16 strings). Short unescaped ASCII texts
    /// only, a bounded number of them and of entries per slot, so that a batch of unique or colliding values costs
    /// little more than allocating each.
    /// </summary>
    private sealed class Texts
    {
        private const int MaxLength = 64;
        private const int MaxCount = 4096;
        private const int MaxChain = 4;
        private readonly Entry?[] _slots = new Entry?[1024];
        private int _count;

        private sealed record Entry(byte[] Utf8, string Text, int Chain, Entry? Next);

        /// <summary>The previous lead's counts, to size the next lead's collections.</summary>
        public int AttributeCount { get; set; }
        public int EventCount { get; set; }

        /// <summary>The current string or property name token's text.</summary>
        public string Get(ref Utf8JsonReader reader) =>
            reader.ValueIsEscaped ? reader.GetString()! : Ascii(reader.ValueSpan) ?? reader.GetString()!;

        /// <summary>The text of ASCII bytes (a number as written, or an unescaped string); null when not ASCII.</summary>
        public string? Ascii(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > MaxLength) return System.Text.Ascii.IsValid(utf8) ? Encoding.ASCII.GetString(utf8) : null;
            ref var slot = ref _slots[Hash(utf8) & (_slots.Length - 1)];
            for (var e = slot; e is not null; e = e.Next)
            {
                if (utf8.SequenceEqual(e.Utf8)) return e.Text;
            }
            if (!System.Text.Ascii.IsValid(utf8)) return null;
            var text = Encoding.ASCII.GetString(utf8);
            var chain = slot is null ? 1 : slot.Chain + 1;
            if (_count < MaxCount && chain <= MaxChain)
            {
                slot = new Entry(utf8.ToArray(), text, chain, slot);
                _count++;
            }
            return text;
        }

        private static uint Hash(ReadOnlySpan<byte> utf8)
        {
            ulong h;
            if (utf8.Length >= 8)
            {
                h = BinaryPrimitives.ReadUInt64LittleEndian(utf8) ^ BitOperations.RotateLeft(BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..]), 29);
            }
            else if (utf8.Length >= 4)
            {
                h = BinaryPrimitives.ReadUInt32LittleEndian(utf8) | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(utf8[^4..]) << 32;
            }
            else
            {
                h = 0;
                foreach (var b in utf8) h = h << 8 | b;
            }
            h = (h ^ (ulong)utf8.Length) * 0x9E3779B97F4A7C15;
            return (uint)(h >> 40);
        }
    }
}
