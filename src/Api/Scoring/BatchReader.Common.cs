using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;

namespace LeadML.Api.Scoring;

internal static partial class BatchReader
{
    /// <summary>
    /// The batch as nearly every client writes it, read in one pass over its bytes without a general JSON tokenizer:
    /// the body's object holds <c>model</c> and <c>leads</c>, each once; a lead in the common form is an object of its
    /// known fields, each written once, with the types they must have (or null); attributes are strings, numbers,
    /// booleans or null; each event has a type, a time and maybe a detail; dates are UTC in the form
    /// <see cref="TryParseUtc"/> reads; strings hold no escape sequence; and the lead passes the checks of one lead. A
    /// lead in any other form is read alone by <see cref="ReadLead"/>, the checked reader's own (with its error, if it
    /// has a problem). Any other body, and malformed JSON anywhere, is false at once and the whole batch is read again
    /// by <see cref="ReadChecked"/>, whose answers, errors and messages are the ones that count. What this accepts is
    /// valid JSON only, read into the very values <see cref="ReadChecked"/> makes of it (the tests compare both on
    /// thousands of bodies, cut, altered and written in every form). Reading a batch of 1,000 leads through the
    /// general tokenizer cost about a seventh of scoring them; this reads the common form in about half the time.
    /// </summary>
    internal static bool TryReadCommon(ReadOnlySpan<byte> json, int limit, DateTime now, [NotNullWhen(true)] out BatchBody? body)
    {
        body = null;
        var scan = new Scanner(json);
        var texts = new Texts();
        string? model = null;
        List<BatchLead>? leads = null;
        var seen = 0;
        var uncommon = 0;
        if (!scan.Next('{')) return false;
        if (!scan.Next('}'))
        {
            do
            {
                var which = scan.Name("leads\""u8) ? 1 : scan.Name("model\""u8) ? 0 : -1;
                if (which < 0 || (seen & 1 << which) != 0 || !scan.Next(':')) return false;
                seen |= 1 << which;
                if (which == 0)
                {
                    if (!TryText(ref scan, texts, out model)) return false;
                }
                else
                {
                    if (!scan.Next('[')) return false;
                    leads = new List<BatchLead>(Math.Min(limit, 1024));
                    if (!scan.Next(']'))
                    {
                        do
                        {
                            if (leads.Count == limit) return false;
                            var start = scan.Position;
                            // A lead not in the common form is read alone by the checked reader, as it reads it in a
                            // whole batch: one such lead does not send every other lead there too. Once more than a
                            // quarter of the leads so far were not, the rest go straight to it (a client that escapes
                            // some text in every lead would otherwise pay for reading most leads twice).
                            if ((uncommon > 16 && uncommon * 4 > leads.Count) || !TryLead(ref scan, texts, now, out var lead))
                            {
                                uncommon++;
                                if (!TryLeadChecked(json[start..], leads.Count, texts, now, out lead, out var length)) return false;
                                scan.Position = start + length;
                            }
                            leads.Add(lead);
                        }
                        while (scan.Next(','));
                        if (!scan.Next(']')) return false;
                    }
                }
            }
            while (scan.Next(','));
            if (!scan.Next('}')) return false;
        }
        if (leads is null || !scan.AtEnd()) return false;
        body = new BatchBody(model, [.. leads]);
        return true;
    }

    /// <summary>
    /// The lead that <paramref name="json"/> begins with, read by the checked reader's <see cref="ReadLead"/> (a lead
    /// with a problem gets its error, with its path); false when it is not well-formed JSON (the whole body then goes
    /// to the checked reader, which reports it). <paramref name="length"/> is how many bytes the lead takes. The depth
    /// allowed is the checked reader's less the two levels above a lead (the body's object and <c>leads</c>).
    /// </summary>
    private static bool TryLeadChecked(ReadOnlySpan<byte> json, int index, Texts texts, DateTime now, out BatchLead lead, out int length)
    {
        lead = default;
        length = 0;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth - 2 });
        try
        {
            if (!reader.Read()) return false;
            lead = ReadLead(ref reader, index, texts, now);
            length = (int)reader.BytesConsumed;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryLead(ref Scanner scan, Texts texts, DateTime now, out BatchLead lead)
    {
        lead = default;
        if (!scan.Next('{')) return false;
        string? model = null, leadId = null;
        IReadOnlyDictionary<string, string?>? attributes = null;
        LeadEventInput[]? events = null;
        DateTime? createdAt = null, asOf = null;
        var seen = 0;
        if (!scan.Next('}'))
        {
            do
            {
                // The fields in the order clients mostly write them.
                var which = scan.Name("attributes\""u8) ? 5 : scan.Name("events\""u8) ? 3 : scan.Name("createdAt\""u8) ? 4
                    : scan.Name("leadId\""u8) ? 2 : scan.Name("asOf\""u8) ? 0 : scan.Name("model\""u8) ? 1 : -1;
                if (which < 0 || (seen & 1 << which) != 0 || !scan.Next(':')) return false;
                seen |= 1 << which;
                var ok = which switch
                {
                    0 => TryDate(ref scan, out asOf),
                    1 => TryText(ref scan, texts, out model),
                    2 => TryText(ref scan, null, out leadId),
                    3 => TryEvents(ref scan, texts, out events),
                    4 => TryDate(ref scan, out createdAt),
                    _ => TryAttributes(ref scan, texts, out attributes),
                };
                if (!ok) return false;
            }
            while (scan.Next(','));
            if (!scan.Next('}')) return false;
        }
        // The checks of one lead: a lead that fails one is left to the checked reader, which names the problem.
        var at = asOf ?? now;
        var created = createdAt ?? at;
        if (created > at) return false;
        lead = Usable(leadId, attributes, events, created, at, model);
        return true;
    }

    private static bool TryAttributes(ref Scanner scan, Texts texts, out IReadOnlyDictionary<string, string?>? attributes)
    {
        attributes = null;
        if (scan.Null()) return true;
        if (!scan.Next('{')) return false;
        var names = texts.Names;
        var values = texts.Values;
        names.Clear();
        values.Clear();
        if (!scan.Next('}'))
        {
            do
            {
                if (!TryAttributeName(ref scan, texts, names.Count, out var name) || !scan.Next(':')) return false;
                string? value;
                switch (scan.Peek())
                {
                    case (byte)'"':
                        if (!TryString(ref scan, texts, out value)) return false;
                        break;
                    case (byte)'t':
                        if (!scan.Literal("true"u8)) return false;
                        value = "true";
                        break;
                    case (byte)'f':
                        if (!scan.Literal("false"u8)) return false;
                        value = "false";
                        break;
                    case (byte)'n':
                        if (!scan.Literal("null"u8)) return false;
                        value = null;
                        break;
                    default:
                        var number = scan.Number();
                        if (number.IsEmpty) return false;
                        value = texts.Ascii(number);
                        break;
                }
                texts.Attribute(name, value);
            }
            while (scan.Next(','));
            if (!scan.Next('}')) return false;
        }
        foreach (var value in values)
        {
            if (AttributeTextConverter.IsInvalid(value)) return false;
        }
        attributes = NamedTexts.Create(names, values);
        return true;
    }

    /// <summary>An attribute's name; the name the previous lead had at <paramref name="position"/> is tried first
    /// (a batch's leads nearly always write the same names in the same order).</summary>
    private static bool TryAttributeName(ref Scanner scan, Texts texts, int position, [NotNullWhen(true)] out string? name)
    {
        if (texts.NameAt(position) is { } previous && scan.Name(previous.Quoted))
        {
            name = previous.Text;
            return true;
        }
        var utf8 = scan.String(out var ascii);
        name = ascii ? texts.Ascii(utf8) : Utf8Text(utf8);
        if (name is null) return false;
        if (ascii) texts.SetNameAt(position, utf8, name);
        return true;
    }

    private static bool TryEvents(ref Scanner scan, Texts texts, out LeadEventInput[]? events)
    {
        events = null;
        if (scan.Null()) return true;
        if (!scan.Next('[')) return false;
        var result = texts.Events;
        result.Clear();
        if (!scan.Next(']'))
        {
            do
            {
                if (!scan.Next('{')) return false;
                string? type = null, detail = null;
                DateTime? timestamp = null;
                var seen = 0;
                if (!scan.Next('}'))
                {
                    do
                    {
                        var which = scan.Name("type\""u8) ? 0 : scan.Name("detail\""u8) ? 1 : scan.Name("timestamp\""u8) ? 2 : -1;
                        if (which < 0 || (seen & 1 << which) != 0 || !scan.Next(':')) return false;
                        seen |= 1 << which;
                        var ok = which switch
                        {
                            0 => TryText(ref scan, texts, out type),
                            1 => TryText(ref scan, texts, out detail),
                            _ => TryDate(ref scan, out timestamp),
                        };
                        if (!ok) return false;
                    }
                    while (scan.Next(','));
                    if (!scan.Next('}')) return false;
                }
                if (string.IsNullOrWhiteSpace(type) || timestamp is null) return false;
                result.Add(LeadEventInput.Sent(timestamp.Value, type, detail));
            }
            while (scan.Next(','));
            if (!scan.Next(']')) return false;
        }
        events = result.Count == 0 ? [] : [.. result];
        return true;
    }

    /// <summary>A string or null (shared through <paramref name="texts"/> when given, as the checked reader shares it).</summary>
    private static bool TryText(ref Scanner scan, Texts? texts, out string? value)
    {
        value = null;
        return scan.Null() || TryString(ref scan, texts, out value);
    }

    private static bool TryString(ref Scanner scan, Texts? texts, [NotNullWhen(true)] out string? value)
    {
        var utf8 = scan.String(out var ascii);
        value = !ascii ? Utf8Text(utf8)
            : texts is null ? Encoding.ASCII.GetString(utf8)
            : texts.Ascii(utf8);
        return value is not null;
    }

    /// <summary>Text of a string that is not ASCII, as the JSON reader decodes it; null when it is not valid UTF-8 (or
    /// is not a string at all).</summary>
    private static string? Utf8Text(ReadOnlySpan<byte> utf8) =>
        utf8.Length > 0 && System.Text.Unicode.Utf8.IsValid(utf8) ? Encoding.UTF8.GetString(utf8) : null;

    /// <summary>A UTC date in the common form, or null; anything else is false.</summary>
    private static bool TryDate(ref Scanner scan, out DateTime? value)
    {
        value = null;
        if (scan.Null()) return true;
        var utf8 = scan.String(out var ascii);
        if (!ascii || !TryParseUtc(utf8, out var utc)) return false;
        value = utc;
        return true;
    }

    /// <summary>
    /// The bytes of a JSON text, read forward. Each step skips the white space JSON allows before a token; whatever
    /// does not fit (another byte, a string with an escape or a control character, a malformed number, the end)
    /// gives false or an empty span, and the lead (or, outside a lead, the batch) goes to the checked reader.
    /// </summary>
    private ref struct Scanner(ReadOnlySpan<byte> json)
    {
        private readonly ReadOnlySpan<byte> _json = json;
        private int _at;

        /// <summary>Where the next token starts (after white space), or where reading goes on.</summary>
        public int Position
        {
            get
            {
                Peek();
                return _at;
            }
            set => _at = value;
        }

        /// <summary>The next byte after white space (not taken), or 0 at the end or before a byte that is not JSON's
        /// white space and below a space.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public byte Peek()
        {
            var json = _json;
            var at = _at;
            while ((uint)at < (uint)json.Length)
            {
                var b = json[at];
                if (b > (byte)' ') return Taken(at, b);
                if (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t') return Taken(at, 0);
                at++;
            }
            return Taken(at, 0);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private byte Taken(int at, byte b)
        {
            _at = at;
            return b;
        }

        /// <summary>Takes <paramref name="b"/> if it comes next.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Next(char b)
        {
            if (Peek() != b) return false;
            _at++;
            return true;
        }

        /// <summary>Nothing but white space is left.</summary>
        public bool AtEnd() => Peek() == 0 && _at == _json.Length;

        /// <summary>Takes <c>null</c> if it comes next.</summary>
        public bool Null() => Peek() == (byte)'n' && Literal("null"u8);

        /// <summary>Takes <paramref name="literal"/> (true, false or null) if it is what comes next.</summary>
        public bool Literal(ReadOnlySpan<byte> literal)
        {
            if (!_json[_at..].StartsWith(literal)) return false;
            _at += literal.Length;
            return true;
        }

        /// <summary>
        /// The bytes of the string that comes next, without its quotes, and whether they are all ASCII; an empty span
        /// with <paramref name="ascii"/> false when no string comes next or it holds an escape or a control character
        /// (bytes that are not ASCII are left to the caller to decode).
        /// </summary>
        public ReadOnlySpan<byte> String(out bool ascii)
        {
            ascii = false;
            if (Peek() != (byte)'"') return default;
            var json = _json;
            var start = _at + 1;
            var at = start;
            var high = false;
            while (true)
            {
                if (at <= json.Length - Vector128<byte>.Count)
                {
                    // 16 bytes at once: a quote, a backslash, or a byte below a space or beyond ASCII (below a space
                    // as a signed byte).
                    var v = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(json), (nuint)at);
                    var special = Vector128.Equals(v, Vector128.Create((byte)'"')) | Vector128.Equals(v, Vector128.Create((byte)'\\'))
                        | Vector128.LessThan(v.AsSByte(), Vector128.Create((sbyte)' ')).AsByte();
                    var bits = special.ExtractMostSignificantBits();
                    if (bits == 0)
                    {
                        at += Vector128<byte>.Count;
                        continue;
                    }
                    at += BitOperations.TrailingZeroCount(bits);
                }
                else
                {
                    while (at < json.Length && json[at] is >= (byte)' ' and < 0x80 and not (byte)'"' and not (byte)'\\') at++;
                    if (at == json.Length) return default;
                }
                var b = json[at];
                if (b == (byte)'"')
                {
                    _at = at + 1;
                    ascii = !high;
                    return json[start..at];
                }
                if (b < 0x80) return default;
                high = true;
                at++;
            }
        }

        /// <summary>Takes the property name written as <paramref name="quoted"/> (its UTF-8 bytes and the closing
        /// quote) if it comes next.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Name(ReadOnlySpan<byte> quoted)
        {
            if (Peek() != (byte)'"' || !_json[(_at + 1)..].StartsWith(quoted)) return false;
            _at += 1 + quoted.Length;
            return true;
        }

        /// <summary>The number that comes next, as written, if it follows JSON's grammar; else empty.</summary>
        public ReadOnlySpan<byte> Number()
        {
            var json = _json;
            var start = _at;
            var at = start;
            if (at < json.Length && json[at] == (byte)'-') at++;
            if (at >= json.Length || !char.IsAsciiDigit((char)json[at])) return default;
            if (json[at] == (byte)'0') at++;
            else at = Digits(json, at);
            if (at < json.Length && json[at] == (byte)'.')
            {
                var fraction = Digits(json, at + 1);
                if (fraction == at + 1) return default;
                at = fraction;
            }
            if (at < json.Length && (json[at] | 0x20) == (byte)'e')
            {
                at++;
                if (at < json.Length && json[at] is (byte)'+' or (byte)'-') at++;
                var exponent = Digits(json, at);
                if (exponent == at) return default;
                at = exponent;
            }
            _at = at;
            return json[start..at];
        }

        private static int Digits(ReadOnlySpan<byte> json, int at)
        {
            while (at < json.Length && char.IsAsciiDigit((char)json[at])) at++;
            return at;
        }
    }
}
