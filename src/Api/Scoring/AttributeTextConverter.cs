using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadML.Api.Scoring;

/// <summary>
/// Reads a lead's attributes straight into text (strings as they are, numbers as written, booleans as true/false,
/// null as missing) without building a JSON document per value. An array or object value becomes
/// <see cref="Invalid"/>, reported later with its JSON path so that one bad lead does not fail a whole batch.
/// </summary>
public sealed class AttributeTextConverter : JsonConverter<Dictionary<string, string?>>
{
    /// <summary>Marks a value that is not a string, number, boolean or null.</summary>
    public const string Invalid = "\u0000invalid";

    /// <summary>The failure when attributes are not a JSON object; answered as a value of the wrong type at its path.</summary>
    public const string NotAnObject = "attributes must be an object of name: value";

    /// <summary>Whether a value is <see cref="Invalid"/> (compared as text: a client may send those very characters).</summary>
    public static bool IsInvalid(string? value) => value is { Length: 8 } && value[0] == '\u0000' && value == Invalid;

    public override Dictionary<string, string?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException(NotAnObject);
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    result[name] = reader.GetString();
                    break;
                case JsonTokenType.Number:
                    result[name] = System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
                    break;
                case JsonTokenType.True:
                    result[name] = "true";
                    break;
                case JsonTokenType.False:
                    result[name] = "false";
                    break;
                case JsonTokenType.Null:
                    result[name] = null;
                    break;
                default:
                    // The whole value is buffered for a converter, so skipping it always completes.
                    if (!reader.TrySkip()) throw new JsonException("attribute value cut short");
                    result[name] = Invalid;
                    break;
            }
        }
        return result;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string?> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (k, v) in value) writer.WriteString(k, v);
        writer.WriteEndObject();
    }
}
