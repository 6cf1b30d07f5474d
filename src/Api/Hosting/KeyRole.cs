namespace LeadML.Api.Hosting;

/// <summary>Who a key belongs to.</summary>
public enum KeyRole
{
    Scoring,
    Admin,
}
