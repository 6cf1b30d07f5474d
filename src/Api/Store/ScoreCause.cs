using System.Text.Json.Serialization;
using LeadML.Features.Rules;

namespace LeadML.Api.Store;

/// <summary>
/// What made a lead be scored again, beyond its reason: the events that arrived, the attributes that changed, the
/// model or rule set that replaced another, the previous scoring time, the conversion, or the administrator's
/// as-of rescoring. Kept with each history entry (as JSON); entries written before causes were kept have none. Each
/// part is absent when it does not apply.
/// </summary>
/// <param name="Events">The new events (reason <c>event</c>), at most <see cref="MaxEvents"/> of them, oldest first.</param>
/// <param name="EventCount">How many new events there were in all (reason <c>event</c>); more than <c>events</c> lists
/// when a request sent more than <see cref="MaxEvents"/>.</param>
/// <param name="Attributes">The attributes set, changed or removed (reason <c>attributes</c>), by name; empty when the
/// lead was sent again unchanged.</param>
/// <param name="CreatedAtChanged">True when the lead's creation time changed (reason <c>attributes</c>).</param>
/// <param name="NewLead">True when the lead was created by this change.</param>
/// <param name="PreviousModelVersion">The model version of the previous score, when another model scored it.</param>
/// <param name="PreviousRuleSetVersion">The rule-set version of the previous score, when another rule set scored it.</param>
/// <param name="PreviouslyScoredAt">When the lead was scored before this change.</param>
/// <param name="ConvertedAt">When the lead converted (reasons <c>conversion</c> and <c>conversion undone</c>: the
/// conversion recorded or undone).</param>
/// <param name="RequestedAt">When an administrator asked for the as-of rescoring (reason <c>rescoring as of</c>); the
/// entry's <c>at</c> is the time it scored the lead as of.</param>
public sealed record ScoreCause(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CauseEvent>? Events = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EventCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AttributeChange>? Attributes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? CreatedAtChanged = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? NewLead = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PreviousModelVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PreviousRuleSetVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PreviouslyScoredAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ConvertedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? RequestedAt = null)
{
    /// <summary>The most events one entry lists (a bulk request may send thousands for one lead).</summary>
    public const int MaxEvents = 20;

    /// <summary>The cause of new events: the first <see cref="MaxEvents"/> of them, and their count.</summary>
    public static ScoreCause Of(IReadOnlyList<StoredEvent> added) =>
        new(Events: [.. added.OrderBy(e => e.Timestamp).Take(MaxEvents).Select(e => new CauseEvent(e.EventId, e.Type, new DateTimeOffset(e.Timestamp, TimeSpan.Zero), e.Detail))],
            EventCount: added.Count);

    /// <summary>The cause of storing <paramref name="attributes"/> (and <paramref name="createdAt"/>) over
    /// <paramref name="stored"/>, null for a new lead: which attributes were set, changed or removed, by name.</summary>
    public static ScoreCause Of(StoredLead? stored, IReadOnlyDictionary<string, string?> attributes, DateTime createdAt)
    {
        var before = stored?.Attributes ?? new Dictionary<string, string?>();
        var changes = new List<AttributeChange>();
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(name, out var old)) changes.Add(new AttributeChange(name, AttributeChange.Set));
            else if (old != value) changes.Add(new AttributeChange(name, AttributeChange.Changed));
        }
        changes.AddRange(before.Keys.Where(k => !attributes.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => new AttributeChange(k, AttributeChange.Removed)));
        var createdChanged = stored is not null && Sql.Ms(stored.CreatedAt) != Sql.Ms(createdAt);
        return new ScoreCause(Attributes: changes, CreatedAtChanged: createdChanged ? true : null, NewLead: stored is null ? true : null);
    }
}

/// <summary>A new event behind a score change.</summary>
/// <param name="EventId">The event's id, as it was sent.</param>
/// <param name="Type">The event type, as it was sent (<c>demo_request</c>).</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Detail">What it was about (a page, an e-mail), when sent.</param>
public sealed record CauseEvent(string EventId, string Type, DateTimeOffset Timestamp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail)
{
    /// <summary>The event in words, e.g. "Requested a demo" or "Viewed /pricing".</summary>
    public string Text => CriterionText.Event(Type, Detail);
}

/// <summary>An attribute a change set, changed or removed (its name only: values stay in the lead).</summary>
/// <param name="Name">The attribute's name, as it was sent (<c>job_title</c>).</param>
/// <param name="Change"><c>set</c> (it had none), <c>changed</c> or <c>removed</c>.</param>
public sealed record AttributeChange(string Name, string Change)
{
    public const string Set = "set";
    public const string Changed = "changed";
    public const string Removed = "removed";

    /// <summary>The attribute's name in words, e.g. "Job title".</summary>
    public string Label => CriterionText.Column(Name);
}
