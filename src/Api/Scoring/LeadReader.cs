using System.Buffers;
using System.Text;
using System.Text.Json;
using LeadML.Api.Hosting;

namespace LeadML.Api.Scoring;

/// <summary>
/// The one reader of a lead request: the body of <c>POST /score</c> (<see cref="ScoreRequest"/>) and each lead of
/// <c>POST /score/batch</c> (<see cref="BatchScoreRequest"/>) are read by the same code, in one pass over their UTF-8
/// bytes straight into the scorer's <see cref="LeadInput"/>, so a lead scores alike alone and in a batch. Property names
/// match as the serializer's web defaults match them (ignoring case); attributes are read as
/// <see cref="AttributeTextConverter"/> reads them. Texts that recur across the leads of a batch (attribute names and
/// values, event types and details, model names) are allocated once per batch. A property the contract lacks, a field
/// of the wrong JSON type, an unreadable date or a failed check is the lead's problem, named by its JSON path and
/// returned, not thrown: in a batch it fails only that lead (a property the batch's own object lacks fails the request). Malformed JSON fails the request (a <see cref="JsonException"/>, as the serializer's).
/// </summary>
internal static class LeadReader
{
    private static readonly Name[] BatchNames = [new("model"), new("leads")];
    private static readonly Name[] LeadNames = [new("model"), new("leadId"), new("attributes"), new("events"), new("createdAt"), new("asOf")];
    private static readonly Name[] EventNames = [new("type"), new("detail"), new("timestamp")];

    /// <summary>How deep a body may nest objects and arrays (the serializer's default).</summary>
    private const int MaxDepth = 64;

    /// <summary>Reads the body of <c>POST /score</c>: one lead, and the model it names. A lead without <c>asOf</c> is
    /// scored as of <paramref name="now"/>.</summary>
    public static Task<LeadRead> ReadLeadAsync(HttpRequest request, DateTime now, CancellationToken cancellationToken) =>
        WithBodyAsync(request, json => ReadLead(json, now), cancellationToken);

    /// <summary>Reads the body of <c>POST /score/batch</c>; more than <paramref name="limit"/> leads, or no
    /// <c>leads</c>, are the request's problem.</summary>
    public static Task<BatchRead> ReadBatchAsync(HttpRequest request, int limit, DateTime now, CancellationToken cancellationToken) =>
        WithBodyAsync(request, json => ReadBatch(json, limit, now), cancellationToken);

    private delegate T BodyReader<T>(ReadOnlySpan<byte> json);

    /// <summary>Reads the request body whole into a pooled buffer (Kestrel enforces the size limit), then reads it.</summary>
    private static async Task<T> WithBodyAsync<T>(HttpRequest request, BodyReader<T> read, CancellationToken cancellationToken)
    {
        var pipe = request.BodyReader;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 0, 4096, Array.MaxLength));
        var filled = 0;
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(cancellationToken);
                foreach (var segment in result.Buffer)
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
                pipe.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) break;
            }
            return read(buffer.AsSpan(0, filled));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One lead (a <see cref="ScoreRequest"/>), with the model it names, or its first problem.</summary>
    public static LeadRead ReadLead(ReadOnlySpan<byte> json, DateTime now)
    {
        if (IsBlank(json)) return Failed(-1, "", Problems.NoBody);
        if (Utf8Body.Problem(json) is { } notUtf8) return Failed(-1, "", notUtf8);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            reader.Read();
            var lead = Lead(ref reader, -1, new Texts(), now);
            // Anything but white space after the lead's object is malformed JSON (the reader throws).
            reader.Read();
            return lead;
        }
        catch (JsonException e) when (e.Path is null)
        {
            throw Unreadable(e, -1, e.LineNumber, e.BytePositionInLine);
        }
        catch (InvalidOperationException e)
        {
            throw Unreadable(e, -1, null, reader.BytesConsumed);
        }
    }

    /// <summary>A batch (a <see cref="BatchScoreRequest"/>): its model and each lead read as <see cref="ReadLead"/>
    /// reads one, or the request's problem.</summary>
    public static BatchRead ReadBatch(ReadOnlySpan<byte> json, int limit, DateTime now)
    {
        if (IsBlank(json)) return Refused("$", Problems.NoBody);
        if (Utf8Body.Problem(json) is { } notUtf8) return Refused("$", notUtf8);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var texts = new Texts();
        string? model = null;
        List<LeadRead>? leads = null;
        var count = 0;
        var index = -1;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) return Refused("$", "the body must be a JSON object: { \"leads\": [ … ] }");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = Which(ref reader, BatchNames);
                if (which < 0) return Unknown("$", ref reader, BatchNames);
                reader.Read();
                if (which == 0)
                {
                    if (!TryText(ref reader, texts, out model)) return Refused("$.model", "must be a string");
                }
                else if (which == 1)
                {
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        leads = null;
                        continue;
                    }
                    if (reader.TokenType != JsonTokenType.StartArray) return Refused("$.leads", "must be an array of leads");
                    leads = [];
                    count = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        index = count;
                        if (count < limit) leads.Add(Lead(ref reader, count, texts, now));
                        else reader.Skip();
                        count++;
                    }
                    index = -1;
                }
            }
            // Anything but white space after the body's object is malformed JSON (the reader throws).
            reader.Read();
        }
        catch (JsonException e) when (e.Path is null)
        {
            throw Unreadable(e, index, e.LineNumber, e.BytePositionInLine);
        }
        catch (InvalidOperationException e)
        {
            // The reader's way of saying a string is not valid UTF-8.
            throw Unreadable(e, index, null, reader.BytesConsumed);
        }
        if (leads is null) return Refused("$.leads", "is required");
        if (count > limit) return Refused("$.leads", $"holds {count:N0} leads; the limit is {limit:N0} per batch");
        return new BatchRead(model, [.. leads], null);
    }

    /// <summary>A body of nothing but white space: no body, said as such rather than as malformed JSON.</summary>
    private static bool IsBlank(ReadOnlySpan<byte> json) => json.Trim(" \t\r\n"u8).IsEmpty;

    private static BatchRead Refused(string path, string message) => new(null, [], new BatchError(path, message));

    /// <summary>The batch's own object has a property it does not know: the request's problem.</summary>
    private static BatchRead Unknown(string parent, ref Utf8JsonReader reader, Name[] known)
    {
        var (path, message) = Unknown(parent, reader.GetString()!, known);
        return Refused(path, message);
    }

    /// <summary>A property <paramref name="name"/> that an object read with <paramref name="known"/> names lacks, at
    /// its path from <paramref name="parent"/>, with the known name it is closest to.</summary>
    private static (string Path, string Message) Unknown(string parent, string name, Name[] known) =>
        (UnknownProperty.Path(parent, name), UnknownProperty.Message(name, Array.ConvertAll(known, n => n.Text)));

    /// <summary>What the reader checks of a lead once its values are read, and the store of the lead it is sent: an
    /// attribute of no usable type, <c>createdAt</c> after <c>asOf</c>. The first problem's field (a path from the
    /// lead) and message, or null.</summary>
    public static (string Field, string Message)? Problem(LeadInput lead)
    {
        foreach (var (name, value) in lead.Attributes)
        {
            if (AttributeTextConverter.IsInvalid(value)) return ($".attributes.{name}", "must be a string, number, boolean or null");
        }
        return lead.CreatedAt > lead.AsOf ? (".createdAt", "is after asOf") : null;
    }

    /// <summary>Malformed JSON as the serializer reports it: the reader's message without its position, then the path
    /// (the lead it was in, if any) and position.</summary>
    private static JsonException Unreadable(Exception e, int index, long? line, long? position)
    {
        var message = e.Message;
        var cut = message.LastIndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        var path = Path(index, "");
        return new JsonException($"{message} Path: {path} | LineNumber: {line} | BytePositionInLine: {position}.", path, line, position, e);
    }

    /// <summary>The JSON path of a field of the lead at <paramref name="index"/> of a batch, or of the one lead (-1).</summary>
    private static string Path(int index, string field) => index < 0 ? "$" + field : $"$.leads[{index}]{field}";

    /// <summary>One lead, from its first token to its last, straight into the scorer's input. A wrong type is kept as
    /// the lead's problem (the first one in the document) and reading goes on to the lead's end; after it, the lead's
    /// values are checked (<see cref="Problem"/>), then its events (each needs a type and a time).</summary>
    private static LeadRead Lead(ref Utf8JsonReader reader, int index, Texts texts, DateTime now)
    {
        if (reader.TokenType == JsonTokenType.Null) return Failed(index, "", "must be an object");
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return Failed(index, "", "must be an object");
        }
        string? model = null, leadId = null;
        IReadOnlyDictionary<string, string?>? attributes = null;
        LeadEventInput[]? events = null;
        (string Path, string Message)? eventFault = null;
        DateTimeOffset? createdAt = null, asOf = null;
        (string Path, string Message)? fault = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = Which(ref reader, LeadNames);
            if (which < 0) fault ??= Unknown("", reader.GetString()!, LeadNames);
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
                    events = ReadEvents(ref reader, texts, ref fault, out eventFault);
                    break;
                case 4:
                    if (StrictDate.Read(ref reader, out createdAt) is { } badCreated) fault ??= (".createdAt", badCreated);
                    break;
                case 5:
                    if (StrictDate.Read(ref reader, out asOf) is { } badAsOf) fault ??= (".asOf", badAsOf);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (fault is { } f) return Failed(index, f.Path, f.Message);
        var at = asOf?.UtcDateTime ?? now;
        var lead = new LeadInput
        {
            LeadId = leadId, Attributes = attributes ?? NamedTexts.None, Events = events ?? [], CreatedAt = createdAt?.UtcDateTime ?? at, AsOf = at,
        };
        if (Problem(lead) is { } p) return Failed(index, p.Field, p.Message);
        if (eventFault is { } e) return Failed(index, e.Path, e.Message);
        return new LeadRead(lead, model, null);
    }

    private static LeadRead Failed(int index, string field, string message) => new(null, null, new BatchError(Path(index, field), message));

    /// <summary>As <see cref="AttributeTextConverter"/>: strings as they are, numbers as written, true/false, null as
    /// missing, any other value marked <see cref="AttributeTextConverter.Invalid"/> (a problem <see cref="Problem"/>
    /// reports); a name written twice keeps its place and its last value.</summary>
    private static IReadOnlyDictionary<string, string?>? ReadAttributes(ref Utf8JsonReader reader, Texts texts, ref (string, string)? fault)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            fault ??= (".attributes", "must be an object of name: value");
            return null;
        }
        var names = texts.Names;
        var values = texts.Values;
        names.Clear();
        values.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = texts.Get(ref reader);
            reader.Read();
            var value = reader.TokenType switch
            {
                JsonTokenType.String => texts.Get(ref reader),
                JsonTokenType.Number => texts.Ascii(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.Null => null,
                _ => Invalid(ref reader),
            };
            texts.Attribute(name, value);
        }
        return NamedTexts.Create(names, values);
    }

    private static string Invalid(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return AttributeTextConverter.Invalid;
    }

    /// <summary>The events as the scorer takes them (UTC, type and detail trimmed, a blank detail as none); a wrong
    /// type goes to <paramref name="fault"/>, a missing type or time (checked after reading, as for one lead) to
    /// <paramref name="missing"/>.</summary>
    private static LeadEventInput[]? ReadEvents(ref Utf8JsonReader reader, Texts texts, ref (string, string)? fault, out (string, string)? missing)
    {
        missing = null;
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            fault ??= (".events", "must be an array of events");
            return null;
        }
        var result = texts.Events;
        result.Clear();
        var i = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            i++;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                if (reader.TokenType != JsonTokenType.Null)
                {
                    reader.Skip();
                    fault ??= ($".events[{i}]", "must be an object");
                }
                missing ??= ($".events[{i}]", "must be an object");
                continue;
            }
            string? type = null, detail = null;
            DateTimeOffset? timestamp = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var which = Which(ref reader, EventNames);
                if (which < 0) fault ??= Unknown($".events[{i}]", reader.GetString()!, EventNames);
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
                        if (StrictDate.Read(ref reader, out timestamp) is { } badTime) fault ??= ($".events[{i}].timestamp", badTime);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (string.IsNullOrWhiteSpace(type)) missing ??= ($".events[{i}].type", "is required");
            else if (timestamp is null) missing ??= ($".events[{i}].timestamp", "is required");
            else result.Add(LeadEventInput.Sent(timestamp.Value.UtcDateTime, type, detail));
        }
        return result.Count == 0 ? [] : [.. result];
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

    /// <summary>Which of <paramref name="names"/> the current property is, matched as the serializer's web defaults
    /// match (ordinal, ignoring case); -1 for none.</summary>
    private static int Which(ref Utf8JsonReader reader, Name[] names)
    {
        var utf8 = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            // An ASCII name matches only a name of its length; a name that is not ASCII is compared as text below.
            for (var i = 0; i < names.Length; i++)
            {
                if (names[i].Utf8.Length == utf8.Length && System.Text.Ascii.EqualsIgnoreCase(utf8, names[i].Utf8)) return i;
            }
            if (System.Text.Ascii.IsValid(utf8)) return -1;
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
    /// recur in every lead. Short unescaped ASCII texts only, looked up as characters without allocating, and a bounded
    /// number of them, so that a batch of unique values costs little more than allocating each.
    /// </summary>
    private sealed class Texts
    {
        private const int MaxLength = 64;
        private const int MaxCount = 4096;
        private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public Texts() => _lookup = _shared.GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>What one lead's attributes and events are read into before they are copied at their size.</summary>
        public List<string> Names { get; } = [];
        public List<string?> Values { get; } = [];
        public List<LeadEventInput> Events { get; } = [];
        private readonly Dictionary<string, int> _nameIndex = new(StringComparer.Ordinal);

        /// <summary>Adds an attribute of the lead being read; a name written twice keeps its place and takes the
        /// last value.</summary>
        public void Attribute(string name, string? value)
        {
            var at = IndexOfName(name);
            if (at >= 0) Values[at] = value;
            else
            {
                AddName(name);
                Values.Add(value);
            }
        }

        /// <summary>Where <paramref name="name"/> is in <see cref="Names"/>, or -1: a scan for the few names a lead
        /// has, an index built on the way for a lead with many.</summary>
        private int IndexOfName(string name)
        {
            if (Names.Count > NamedTexts.MaxScanned) return _nameIndex.GetValueOrDefault(name, -1);
            for (var i = 0; i < Names.Count; i++)
            {
                if (string.Equals(Names[i], name, StringComparison.Ordinal)) return i;
            }
            return -1;
        }

        private void AddName(string name)
        {
            if (Names.Count == NamedTexts.MaxScanned)
            {
                _nameIndex.Clear();
                for (var i = 0; i < Names.Count; i++) _nameIndex[Names[i]] = i;
            }
            if (Names.Count >= NamedTexts.MaxScanned) _nameIndex[name] = Names.Count;
            Names.Add(name);
        }

        /// <summary>The current string or property name token's text.</summary>
        public string Get(ref Utf8JsonReader reader) =>
            reader.ValueIsEscaped ? reader.GetString()! : Ascii(reader.ValueSpan) ?? reader.GetString()!;

        /// <summary>The text of ASCII bytes (a number as written, or an unescaped string); null when not ASCII.</summary>
        public string? Ascii(ReadOnlySpan<byte> utf8)
        {
            if (!System.Text.Ascii.IsValid(utf8)) return null;
            if (utf8.Length > MaxLength) return Encoding.ASCII.GetString(utf8);
            Span<char> chars = stackalloc char[MaxLength];
            System.Text.Ascii.ToUtf16(utf8, chars, out var length);
            if (_lookup.TryGetValue(chars[..length], out var shared)) return shared;
            var text = new string(chars[..length]);
            if (_shared.Count < MaxCount) _shared[text] = text;
            return text;
        }
    }
}
