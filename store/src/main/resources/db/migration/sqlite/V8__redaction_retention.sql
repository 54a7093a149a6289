-- Redaction and retention (docs/OPERATIONS.md, "Redaction" and "Retention"). The event log stays append-only
-- except for two recorded operations, each backed by a trigger that refuses the change without its record:
--   * a redaction replaces one payload value by the redaction marker: payload_json may change only for a row
--     that has a dg_redactions record (written first, in the same transaction);
--   * retention deletes whole traces: a row may be deleted only when a dg_event_tombstones row keeps its
--     event hash and chain hash (so the chain still verifies across the gap).
-- payload_hash, chain_hash and every other column stay immutable.

CREATE TABLE dg_redactions (
    redaction_id          TEXT    NOT NULL PRIMARY KEY,
    tenant_id             TEXT    NOT NULL,
    log_seq               INTEGER NOT NULL,
    seq                   INTEGER NOT NULL CHECK (seq >= 1),
    event_id              TEXT    NOT NULL,
    field_path            TEXT    NOT NULL,
    reason                TEXT    NOT NULL,
    actor_id              TEXT    NOT NULL,
    redacted_at           TEXT    NOT NULL,
    original_payload_hash TEXT    NOT NULL,
    before_payload_hash   TEXT    NOT NULL,
    after_payload_hash    TEXT    NOT NULL,
    value_commitment      TEXT    NOT NULL,
    record_hash           TEXT    NOT NULL,
    audit_id              INTEGER NOT NULL
);

CREATE UNIQUE INDEX idx_redactions_event ON dg_redactions (tenant_id, log_seq, seq);

CREATE TRIGGER dg_redactions_no_update BEFORE UPDATE ON dg_redactions
BEGIN
    SELECT RAISE(ABORT, 'dg_redactions is append-only');
END;

CREATE TRIGGER dg_redactions_no_delete BEFORE DELETE ON dg_redactions
BEGIN
    SELECT RAISE(ABORT, 'dg_redactions is append-only');
END;

CREATE TABLE dg_retention_policies (
    tenant_id   TEXT    NOT NULL PRIMARY KEY,
    retain_days INTEGER NOT NULL CHECK (retain_days >= 1),
    archive_dir TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL
);

CREATE TABLE dg_retention_runs (
    run_id         TEXT    NOT NULL PRIMARY KEY,
    tenant_id      TEXT    NOT NULL,
    ran_at         TEXT    NOT NULL,
    cutoff         TEXT    NOT NULL,
    retain_days    INTEGER NOT NULL,
    trace_count    INTEGER NOT NULL,
    event_count    INTEGER NOT NULL,
    archive_file   TEXT    NULL,
    manifest_json  TEXT    NOT NULL,
    manifest_hash  TEXT    NOT NULL,
    key_id         TEXT    NULL,
    public_key     TEXT    NULL,
    signature      TEXT    NULL,
    actor_id       TEXT    NOT NULL,
    audit_id       INTEGER NOT NULL
);

CREATE INDEX idx_retention_runs_tenant ON dg_retention_runs (tenant_id, ran_at);

CREATE TABLE dg_event_tombstones (
    tenant_id  TEXT    NOT NULL,
    log_seq    INTEGER NOT NULL,
    event_id   TEXT    NOT NULL,
    trace_id   TEXT    NOT NULL,
    event_hash TEXT    NOT NULL,
    chain_hash TEXT    NOT NULL,
    run_id     TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, log_seq)
);

CREATE INDEX idx_event_tombstones_run ON dg_event_tombstones (run_id, log_seq);

CREATE TRIGGER dg_retention_runs_no_update BEFORE UPDATE ON dg_retention_runs
BEGIN
    SELECT RAISE(ABORT, 'dg_retention_runs is append-only');
END;

CREATE TRIGGER dg_retention_runs_no_delete BEFORE DELETE ON dg_retention_runs
BEGIN
    SELECT RAISE(ABORT, 'dg_retention_runs is append-only');
END;

CREATE TRIGGER dg_event_tombstones_no_update BEFORE UPDATE ON dg_event_tombstones
BEGIN
    SELECT RAISE(ABORT, 'dg_event_tombstones is append-only');
END;

CREATE TRIGGER dg_event_tombstones_no_delete BEFORE DELETE ON dg_event_tombstones
BEGIN
    SELECT RAISE(ABORT, 'dg_event_tombstones is append-only');
END;

-- The event log's guards (same trigger names as before): every column but payload_json (and chain_hash, set
-- once by V6) is immutable; payload_json changes only for a row with a redaction record; a row is deleted only
-- under a retention tombstone.
DROP TRIGGER dg_event_log_no_update;

CREATE TRIGGER dg_event_log_no_update
BEFORE UPDATE OF tenant_id, log_seq, event_id, trace_id, trace_seq, event_type, occurred_at, recorded_at, producer_id, system, subsystem, actor_type, actor_id, correlation_id, causation_event_id, idempotency_key, schema_version, payload_hash, tags_json, payload_json
ON dg_event_log
WHEN NEW.tenant_id IS NOT OLD.tenant_id
   OR NEW.log_seq IS NOT OLD.log_seq
   OR NEW.event_id IS NOT OLD.event_id
   OR NEW.trace_id IS NOT OLD.trace_id
   OR NEW.trace_seq IS NOT OLD.trace_seq
   OR NEW.event_type IS NOT OLD.event_type
   OR NEW.occurred_at IS NOT OLD.occurred_at
   OR NEW.recorded_at IS NOT OLD.recorded_at
   OR NEW.producer_id IS NOT OLD.producer_id
   OR NEW.system IS NOT OLD.system
   OR NEW.subsystem IS NOT OLD.subsystem
   OR NEW.actor_type IS NOT OLD.actor_type
   OR NEW.actor_id IS NOT OLD.actor_id
   OR NEW.correlation_id IS NOT OLD.correlation_id
   OR NEW.causation_event_id IS NOT OLD.causation_event_id
   OR NEW.idempotency_key IS NOT OLD.idempotency_key
   OR NEW.schema_version IS NOT OLD.schema_version
   OR NEW.payload_hash IS NOT OLD.payload_hash
   OR NEW.tags_json IS NOT OLD.tags_json
   OR (NEW.payload_json IS NOT OLD.payload_json
       AND NOT EXISTS (SELECT 1 FROM dg_redactions r WHERE r.tenant_id = NEW.tenant_id AND r.log_seq = NEW.log_seq))
BEGIN
    SELECT RAISE(ABORT, 'dg_event_log is append-only');
END;

DROP TRIGGER dg_event_log_no_delete;

CREATE TRIGGER dg_event_log_no_delete
BEFORE DELETE ON dg_event_log
WHEN NOT EXISTS (SELECT 1 FROM dg_event_tombstones t WHERE t.tenant_id = OLD.tenant_id AND t.log_seq = OLD.log_seq)
BEGIN
    SELECT RAISE(ABORT, 'dg_event_log is append-only');
END;
