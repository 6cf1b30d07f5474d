using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadML.Api.Hosting;

/// <summary>Reads every date of a body the serializer binds by <see cref="StrictDate"/>'s rule, refusing any other
/// with a plain message (the failure answers 400 at the date's path); writes dates as the serializer does.</summary>
internal sealed class StrictDateConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StrictDate.Read(ref reader, out var value) is { } problem ? throw new InvalidDateException(problem) : value!.Value;

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
