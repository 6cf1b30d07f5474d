using L = LeadML.Features.Store.StoreSchema.Leads;
using E = LeadML.Features.Store.StoreSchema.Events;

namespace LeadML.Features.Store;

/// <summary>
/// The store's schema as numbered migrations, applied in order by the Api on start. A migration is written once as a
/// template and rendered per dialect, or given per dialect when the SQL truly differs. Never edit an applied
/// migration: add the next one.
/// </summary>
public static class StoreMigrations
{
    /// <summary>Every migration, in order.</summary>
    public static IReadOnlyList<StoreMigration> All { get; } =
    [
        new StoreMigration(1, "leads, events, score history, alerts outbox, deliveries, rule sets", $$"""
            CREATE TABLE {{L.Table}} (
                {{L.Model}} TEXT NOT NULL,
                {{L.Id}} TEXT NOT NULL,
                {{L.Attributes}} TEXT NOT NULL,
                {{L.CreatedAt}} BIGINT NOT NULL,
                {{L.ConvertedAt}} BIGINT NULL,
                score {real} NULL,
                grade TEXT NULL,
                sales_ready INTEGER NOT NULL DEFAULT 0,
                alert_seq INTEGER NOT NULL DEFAULT 0,
                model_version TEXT NULL,
                rule_set_version TEXT NULL,
                event_count INTEGER NOT NULL DEFAULT 0,
                last_event_at BIGINT NULL,
                scored_at BIGINT NULL,
                updated_at BIGINT NOT NULL,
                next_rescore_at BIGINT NULL,
                rescore_count INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (model, id));
            CREATE INDEX leads_due ON leads (next_rescore_at);
            CREATE TABLE {{E.Table}} (
                {{E.Seq}} {identity},
                {{E.Model}} TEXT NOT NULL,
                {{E.LeadId}} TEXT NOT NULL,
                {{E.EventId}} TEXT NOT NULL,
                {{E.Timestamp}} BIGINT NOT NULL,
                {{E.Type}} TEXT NOT NULL,
                {{E.Detail}} TEXT NULL,
                received_at BIGINT NOT NULL,
                UNIQUE (model, lead_id, event_id));
            CREATE TABLE score_history (
                seq {identity},
                model TEXT NOT NULL,
                lead_id TEXT NOT NULL,
                at BIGINT NOT NULL,
                score {real} NOT NULL,
                previous_score {real} NULL,
                grade TEXT NOT NULL,
                sales_ready INTEGER NOT NULL,
                model_version TEXT NOT NULL,
                rule_set_version TEXT NOT NULL,
                reason TEXT NOT NULL);
            CREATE INDEX score_history_lead ON score_history (model, lead_id, seq);
            CREATE TABLE alerts (
                seq {identity},
                alert_key TEXT NOT NULL UNIQUE,
                model TEXT NOT NULL,
                lead_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                score {real} NOT NULL,
                previous_score {real} NULL,
                threshold {real} NOT NULL,
                hysteresis {real} NOT NULL,
                reason TEXT NOT NULL,
                cause_key TEXT NULL,
                model_version TEXT NOT NULL,
                rule_set_version TEXT NOT NULL,
                raised_at BIGINT NOT NULL,
                payload TEXT NOT NULL,
                delivered_at BIGINT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                claimed_until BIGINT NULL,
                claimed_by TEXT NULL,
                last_error TEXT NULL);
            CREATE INDEX alerts_pending ON alerts (delivered_at, next_attempt_at);
            CREATE INDEX alerts_lead ON alerts (model, lead_id);
            CREATE INDEX alerts_cause ON alerts (cause_key);
            CREATE TABLE deliveries (
                seq {identity},
                alert_key TEXT NOT NULL,
                model TEXT NOT NULL,
                lead_id TEXT NOT NULL,
                webhook TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                at BIGINT NOT NULL,
                status_code INTEGER NULL,
                error TEXT NULL,
                succeeded INTEGER NOT NULL,
                duration_ms {real} NOT NULL,
                instance TEXT NOT NULL);
            CREATE INDEX deliveries_alert ON deliveries (alert_key);
            CREATE TABLE rule_sets (
                model TEXT NOT NULL,
                version INTEGER NOT NULL,
                status TEXT NOT NULL,
                rules TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NULL,
                approved_at BIGINT NULL,
                approved_by TEXT NULL,
                comment TEXT NULL,
                based_on INTEGER NULL,
                PRIMARY KEY (model, version));
            CREATE TABLE rule_set_audit (
                id {identity},
                model TEXT NOT NULL,
                version INTEGER NOT NULL,
                action TEXT NOT NULL,
                actor TEXT NULL,
                at BIGINT NOT NULL,
                detail TEXT NULL);
            CREATE INDEX rule_set_audit_model ON rule_set_audit (model, id);
            """),
        new StoreMigration(2, "conversion value and source", """
            ALTER TABLE leads ADD COLUMN conversion_value {real} NULL;
            ALTER TABLE leads ADD COLUMN conversion_source TEXT NULL
            """),
        new StoreMigration(3, "promotions of bundles", """
            CREATE TABLE promotions (
                seq {identity},
                model TEXT NOT NULL,
                action TEXT NOT NULL,
                bundle TEXT NOT NULL,
                model_version TEXT NOT NULL,
                previous_bundle TEXT NOT NULL,
                previous_model_version TEXT NOT NULL,
                forced INTEGER NOT NULL,
                at BIGINT NOT NULL,
                comparison TEXT NULL);
            CREATE INDEX promotions_model ON promotions (model, seq)
            """),
        new StoreMigration(4, "what caused each score change", """
            ALTER TABLE score_history ADD COLUMN cause TEXT NULL
            """),
        // The rescoring claim reads one model's open leads in due order: a partial index on exactly those keeps it
        // from stepping over other models' and converted leads. Alerts and delivery attempts are listed (and erased)
        // by lead id alone, which the (model, lead_id) index could not serve.
        new StoreMigration(5, "indexes for the rescoring claim and reads by lead", """
            CREATE INDEX leads_open_due ON leads (model, next_rescore_at) WHERE converted_at IS NULL;
            DROP INDEX leads_due;
            CREATE INDEX alerts_by_lead ON alerts (lead_id, seq);
            DROP INDEX alerts_lead;
            CREATE INDEX deliveries_by_lead ON deliveries (lead_id, seq)
            """),
    ];
}
