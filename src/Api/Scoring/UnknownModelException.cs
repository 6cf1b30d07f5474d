namespace LeadML.Api.Scoring;

/// <summary>A request named a model that is not configured.</summary>
public sealed class UnknownModelException(string name, IEnumerable<string> known)
    : Exception($"unknown model '{name}'; configured: {string.Join(", ", known)}");
