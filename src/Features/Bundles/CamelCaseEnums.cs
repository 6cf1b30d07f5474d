using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadML.Features.Bundles;

/// <summary>An enum as its camelCase name, as every bundle file writes enums.</summary>
/// <typeparam name="T">The enum.</typeparam>
public sealed class CamelCaseEnums<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase) where T : struct, Enum;
