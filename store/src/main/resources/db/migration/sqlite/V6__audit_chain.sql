-- Audit chain (docs/OPERATIONS.md). chain_hash = SHA-256(previous chain_hash + "\n" + event hash) per tenant
-- in log_seq order. The store writes it at append; rows older than this migration are back-filled once,
-- in log_seq order per tenant, right after the migration (AuditChain.backfill), which is the only update
-- the log ever accepts: chain_hash from NULL to a value. Every other column stays append-only.
ALTER TABLE dg_event_log ADD COLUMN chain_hash TEXT NULL;

-- Rows still to back-fill; empty once the back-fill ran, so the check at every writable open is an index probe.
CREATE INDEX idx_event_log_unchained ON dg_event_log (tenant_id, log_seq) WHERE chain_hash IS NULL;

DROP TRIGGER dg_event_log_no_update;

CREATE TRIGGER dg_event_log_no_update
BEFORE UPDATE OF tenant_id, log_seq, event_id, trace_id, trace_seq, event_type, occurred_at, recorded_at, producer_id, system, subsystem, actor_type, actor_id, correlation_id, causation_event_id, idempotency_key, schema_version, payload_json, payload_hash, tags_json
ON dg_event_log
BEGIN
    SELECT RAISE(ABORT, 'dg_event_log is append-only');
END;

CREATE TRIGGER dg_event_log_chain_set_once
BEFORE UPDATE OF chain_hash ON dg_event_log
WHEN OLD.chain_hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'dg_event_log is append-only');
END;

-- Signed checkpoints: statement_json is the exact canonical JSON that was signed (Ed25519).
CREATE TABLE dg_checkpoints (
    tenant_id      TEXT    NOT NULL,
    log_seq        INTEGER NOT NULL,
    chain_hash     TEXT    NOT NULL,
    key_id         TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    statement_json TEXT    NOT NULL,
    signature      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, log_seq, key_id)
);
