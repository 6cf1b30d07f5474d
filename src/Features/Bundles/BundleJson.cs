using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadML.Features.Bundles;

/// <summary>The JSON settings of every bundle file: camelCase, indented, enums as strings.</summary>
public static class BundleJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
