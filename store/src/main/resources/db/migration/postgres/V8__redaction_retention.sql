-- Redaction and retention (docs/OPERATIONS.md, "Redaction" and "Retention"). The event log stays append-only
-- except for two recorded operations, each backed by a trigger that refuses the change without its record:
--   * a redaction replaces one payload value by the redaction marker: payload_json may change only for a row
--     that has a dg_redactions record (written first, in the same transaction);
--   * retention deletes whole traces: a row may be deleted only when a dg_event_tombstones row keeps its
--     event hash and chain hash (so the chain still verifies across the gap).
-- payload_hash, chain_hash and every other column stay immutable.

CREATE TABLE dg_redactions (
    redaction_id          TEXT   NOT NULL PRIMARY KEY,
    tenant_id             TEXT   NOT NULL,
    log_seq               BIGINT NOT NULL,
    seq                   BIGINT NOT NULL CHECK (seq >= 1),
    event_id              TEXT   NOT NULL,
    field_path            TEXT   NOT NULL,
    reason                TEXT   NOT NULL,
    actor_id              TEXT   NOT NULL,
    redacted_at           TEXT   NOT NULL,
    original_payload_hash TEXT   NOT NULL,
    before_payload_hash   TEXT   NOT NULL,
    after_payload_hash    TEXT   NOT NULL,
    value_commitment      TEXT   NOT NULL,
    record_hash           TEXT   NOT NULL,
    audit_id              BIGINT NOT NULL
);

CREATE UNIQUE INDEX idx_redactions_event ON dg_redactions (tenant_id, log_seq, seq);

CREATE TABLE dg_retention_policies (
    tenant_id   TEXT   NOT NULL PRIMARY KEY,
    retain_days BIGINT NOT NULL CHECK (retain_days >= 1),
    archive_dir TEXT   NOT NULL,
    updated_at  TEXT   NOT NULL,
    updated_by  TEXT   NOT NULL
);

CREATE TABLE dg_retention_runs (
    run_id         TEXT   NOT NULL PRIMARY KEY,
    tenant_id      TEXT   NOT NULL,
    ran_at         TEXT   NOT NULL,
    cutoff         TEXT   NOT NULL,
    retain_days    BIGINT NOT NULL,
    trace_count    BIGINT NOT NULL,
    event_count    BIGINT NOT NULL,
    archive_file   TEXT   NULL,
    manifest_json  TEXT   NOT NULL,
    manifest_hash  TEXT   NOT NULL,
    key_id         TEXT   NULL,
    public_key     TEXT   NULL,
    signature      TEXT   NULL,
    actor_id       TEXT   NOT NULL,
    audit_id       BIGINT NOT NULL
);

CREATE INDEX idx_retention_runs_tenant ON dg_retention_runs (tenant_id, ran_at);

CREATE TABLE dg_event_tombstones (
    tenant_id  TEXT   NOT NULL,
    log_seq    BIGINT NOT NULL,
    event_id   TEXT   NOT NULL,
    trace_id   TEXT   NOT NULL,
    event_hash TEXT   NOT NULL,
    chain_hash TEXT   NOT NULL,
    run_id     TEXT   NOT NULL,
    PRIMARY KEY (tenant_id, log_seq)
);

CREATE INDEX idx_event_tombstones_run ON dg_event_tombstones (run_id, log_seq);

-- The three record tables are append-only.
CREATE FUNCTION dg_lifecycle_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER dg_redactions_append_only BEFORE UPDATE OR DELETE ON dg_redactions
FOR EACH ROW EXECUTE FUNCTION dg_lifecycle_append_only();

CREATE TRIGGER dg_retention_runs_append_only BEFORE UPDATE OR DELETE ON dg_retention_runs
FOR EACH ROW EXECUTE FUNCTION dg_lifecycle_append_only();

CREATE TRIGGER dg_event_tombstones_append_only BEFORE UPDATE OR DELETE ON dg_event_tombstones
FOR EACH ROW EXECUTE FUNCTION dg_lifecycle_append_only();

-- The event log's guard (same trigger name as before, new function): every column but payload_json (and
-- chain_hash, set once by V6) is immutable; payload_json changes only for a row with a redaction record; a row
-- is deleted only under a retention tombstone.
CREATE FUNCTION dg_event_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM dg_event_tombstones t WHERE t.tenant_id = OLD.tenant_id AND t.log_seq = OLD.log_seq) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'dg_event_log is append-only';
    END IF;
    IF (NEW.tenant_id, NEW.log_seq, NEW.event_id, NEW.trace_id, NEW.trace_seq, NEW.event_type, NEW.occurred_at, NEW.recorded_at, NEW.producer_id, NEW.system, NEW.subsystem, NEW.actor_type, NEW.actor_id, NEW.correlation_id, NEW.causation_event_id, NEW.idempotency_key, NEW.schema_version, NEW.payload_hash, NEW.tags_json)
       IS DISTINCT FROM (OLD.tenant_id, OLD.log_seq, OLD.event_id, OLD.trace_id, OLD.trace_seq, OLD.event_type, OLD.occurred_at, OLD.recorded_at, OLD.producer_id, OLD.system, OLD.subsystem, OLD.actor_type, OLD.actor_id, OLD.correlation_id, OLD.causation_event_id, OLD.idempotency_key, OLD.schema_version, OLD.payload_hash, OLD.tags_json) THEN
        RAISE EXCEPTION 'dg_event_log is append-only';
    END IF;
    IF NEW.payload_json IS DISTINCT FROM OLD.payload_json
       AND NOT EXISTS (SELECT 1 FROM dg_redactions r WHERE r.tenant_id = NEW.tenant_id AND r.log_seq = NEW.log_seq) THEN
        RAISE EXCEPTION 'dg_event_log is append-only';
    END IF;
    RETURN NEW;
END;
$$;

DROP TRIGGER dg_event_log_append_only ON dg_event_log;

CREATE TRIGGER dg_event_log_append_only
BEFORE UPDATE OF tenant_id, log_seq, event_id, trace_id, trace_seq, event_type, occurred_at, recorded_at, producer_id, system, subsystem, actor_type, actor_id, correlation_id, causation_event_id, idempotency_key, schema_version, payload_hash, tags_json, payload_json
OR DELETE ON dg_event_log
FOR EACH ROW EXECUTE FUNCTION dg_event_log_guard();
