namespace LeadML.Api.Scoring;

/// <summary>One item of a batch answer: a score or the problem with that item.</summary>
public sealed record BatchItem(int Index, ScoreResponse? Result, BatchError? Error);
