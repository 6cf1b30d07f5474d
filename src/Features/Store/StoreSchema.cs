namespace LeadML.Features.Store;

/// <summary>
/// The names of the lead store's tables and columns that more than one part reads: the Api's store writes them, the
/// store's history reader (<see cref="StoreHistory"/>) reads leads and events from them. A rename is a migration
/// (<see cref="StoreMigrations"/>) and a change here, and every reader follows at compile time.
/// </summary>
public static class StoreSchema
{
    /// <summary>The table recording which migrations were applied (version, name, applied_at).</summary>
    public const string MigrationsTable = "schema_migrations";

    /// <summary>One row per lead and model: its attributes (a JSON object of texts) and its times.</summary>
    public static class Leads
    {
        /// <summary>The table.</summary>
        public const string Table = "leads";
        /// <summary>The scoring model the lead belongs to.</summary>
        public const string Model = "model";
        /// <summary>The lead's id, unique per model.</summary>
        public const string Id = "id";
        /// <summary>The attributes as a JSON object of name to text (or null).</summary>
        public const string Attributes = "attributes";
        /// <summary>When the lead was created (Unix milliseconds, UTC).</summary>
        public const string CreatedAt = "created_at";
        /// <summary>When it converted (Unix milliseconds, UTC), or null.</summary>
        public const string ConvertedAt = "converted_at";
    }

    /// <summary>One row per event of a lead, in arrival order.</summary>
    public static class Events
    {
        /// <summary>The table.</summary>
        public const string Table = "events";
        /// <summary>Arrival order (identity).</summary>
        public const string Seq = "seq";
        /// <summary>The scoring model the lead belongs to.</summary>
        public const string Model = "model";
        /// <summary>The lead's id.</summary>
        public const string LeadId = "lead_id";
        /// <summary>The event's id, unique per lead.</summary>
        public const string EventId = "event_id";
        /// <summary>When it happened (Unix milliseconds, UTC).</summary>
        public const string Timestamp = "ts";
        /// <summary>The event type as sent.</summary>
        public const string Type = "type";
        /// <summary>The optional detail (page, campaign…), or null.</summary>
        public const string Detail = "detail";
    }
}
