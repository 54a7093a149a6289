-- DecisionGraph event log (Postgres). Columns as in the reference's dg_event_log, plus tenant_id.
-- log_seq is numbered per tenant, gap-free, in commit order: the store assigns MAX(log_seq)+1 while it
-- holds the tenant's transaction-scoped advisory lock. Uniqueness is per tenant, never global.
CREATE TABLE dg_event_log (
    tenant_id          TEXT   NOT NULL DEFAULT 'default',
    log_seq            BIGINT NOT NULL CHECK (log_seq >= 1),
    event_id           TEXT   NOT NULL,
    trace_id           TEXT   NOT NULL,
    trace_seq          BIGINT NOT NULL CHECK (trace_seq >= 0),
    event_type         TEXT   NOT NULL,
    occurred_at        TEXT   NOT NULL,
    recorded_at        TEXT   NOT NULL,
    producer_id        TEXT   NOT NULL,
    system             TEXT   NOT NULL,
    subsystem          TEXT   NULL,
    actor_type         TEXT   NOT NULL,
    actor_id           TEXT   NOT NULL,
    correlation_id     TEXT   NULL,
    causation_event_id TEXT   NULL,
    idempotency_key    TEXT   NOT NULL,
    schema_version     BIGINT NOT NULL,
    payload_json       TEXT   NOT NULL,
    payload_hash       TEXT   NOT NULL,
    tags_json          TEXT   NOT NULL DEFAULT '[]',
    CONSTRAINT idx_event_log_log_seq PRIMARY KEY (tenant_id, log_seq)
);

CREATE UNIQUE INDEX idx_event_log_trace_seq ON dg_event_log (tenant_id, trace_id, trace_seq);
CREATE UNIQUE INDEX idx_event_log_idempotency ON dg_event_log (tenant_id, producer_id, idempotency_key);
CREATE UNIQUE INDEX idx_event_log_event_id ON dg_event_log (tenant_id, event_id);
CREATE INDEX idx_event_log_event_type ON dg_event_log (tenant_id, event_type, log_seq);
CREATE INDEX idx_event_log_correlation_id ON dg_event_log (tenant_id, correlation_id)
    WHERE correlation_id IS NOT NULL;
-- One entry per finished trace: makes the finish lock below and is_trace_finished index lookups.
CREATE INDEX idx_event_log_finished ON dg_event_log (tenant_id, trace_id)
    WHERE event_type = 'TraceFinished';

-- Backstop for the finish lock (the store checks first): nothing may follow a TraceFinished, not even a
-- second TraceFinished (decision D6). The message is mapped to DG_ERR_CONFLICT, as in SQLite.
CREATE FUNCTION dg_block_events_after_finish() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM dg_event_log
               WHERE tenant_id = NEW.tenant_id AND trace_id = NEW.trace_id AND event_type = 'TraceFinished') THEN
        RAISE EXCEPTION 'trace_finished' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER dg_block_events_after_finish
BEFORE INSERT ON dg_event_log
FOR EACH ROW EXECUTE FUNCTION dg_block_events_after_finish();

-- The log is append-only.
CREATE FUNCTION dg_event_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dg_event_log is append-only';
END;
$$;

CREATE TRIGGER dg_event_log_append_only
BEFORE UPDATE OR DELETE ON dg_event_log
FOR EACH ROW EXECUTE FUNCTION dg_event_log_append_only();
