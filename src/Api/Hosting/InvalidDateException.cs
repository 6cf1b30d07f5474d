using System.Text.Json;

namespace LeadML.Api.Hosting;

/// <summary>A body's date that <see cref="StrictDate"/> refuses: readable JSON with a value that cannot be used, so
/// its answer is an invalid request at the date's path, not unreadable JSON.</summary>
internal sealed class InvalidDateException(string message) : JsonException(message);
