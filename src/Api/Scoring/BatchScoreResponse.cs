namespace LeadML.Api.Scoring;

public sealed record BatchScoreResponse(int Scored, int Failed, IReadOnlyList<BatchItem> Items);
