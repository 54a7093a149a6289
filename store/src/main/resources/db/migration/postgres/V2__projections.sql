-- DecisionGraph projections (Postgres): the tenant-scoped layout of projections spec 1.2. Every text
-- column that is sorted or compared for order is COLLATE "C" (UTF-8 byte order = code point order).
-- No foreign keys (not semantic).
-- Only the indexes some query or scan uses are created: every read is a bounded index scan.
CREATE TABLE dg_projection_cursors (
    tenant_id       TEXT    NOT NULL DEFAULT 'default',
    projection_name TEXT    NOT NULL,
    last_log_seq    BIGINT NOT NULL DEFAULT 0,
    updated_at      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, projection_name)
);
CREATE INDEX idx_projection_cursors_seq ON dg_projection_cursors (tenant_id, last_log_seq);

CREATE TABLE dg_cg_nodes (
    tenant_id     TEXT    NOT NULL DEFAULT 'default',
    node_id       TEXT COLLATE "C"    NOT NULL,
    node_type     TEXT    NOT NULL,
    trace_id      TEXT COLLATE "C"    NOT NULL,
    log_seq       BIGINT NOT NULL,
    created_at    TEXT    NOT NULL,
    metadata_json TEXT    NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, node_id)
);

CREATE TABLE dg_cg_edges (
    tenant_id     TEXT    NOT NULL DEFAULT 'default',
    edge_id       TEXT COLLATE "C"    NOT NULL,
    edge_type     TEXT    NOT NULL,
    from_node_id  TEXT COLLATE "C"    NOT NULL,
    to_node_id    TEXT COLLATE "C"    NOT NULL,
    trace_id      TEXT COLLATE "C"    NOT NULL,
    log_seq       BIGINT NOT NULL,
    created_at    TEXT    NOT NULL,
    metadata_json TEXT    NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, edge_id)
);
CREATE INDEX idx_cg_edges_from ON dg_cg_edges (tenant_id, from_node_id, edge_id);
CREATE INDEX idx_cg_edges_to ON dg_cg_edges (tenant_id, to_node_id, edge_id);
CREATE INDEX idx_cg_edges_from_seq ON dg_cg_edges (tenant_id, from_node_id, log_seq, edge_id);
CREATE INDEX idx_cg_edges_to_seq ON dg_cg_edges (tenant_id, to_node_id, log_seq, edge_id);

CREATE TABLE dg_trace_summary (
    tenant_id             TEXT    NOT NULL DEFAULT 'default',
    trace_id              TEXT COLLATE "C"    NOT NULL,
    workflow              TEXT    NOT NULL,
    title                 TEXT    NOT NULL,
    primary_entity_type   TEXT    NULL,
    primary_entity_system TEXT    NULL,
    primary_entity_id     TEXT    NULL,
    outcome               TEXT    NULL,
    started_at            TEXT    NOT NULL,
    finished_at           TEXT    NULL,
    event_count           BIGINT NOT NULL DEFAULT 0,
    last_log_seq          BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, trace_id)
);
CREATE INDEX idx_trace_summary_last_seq ON dg_trace_summary (tenant_id, last_log_seq DESC, trace_id);

CREATE TABLE dg_policy_eval_index (
    tenant_id      TEXT    NOT NULL DEFAULT 'default',
    index_id       TEXT COLLATE "C"    NOT NULL,
    trace_id       TEXT COLLATE "C"    NOT NULL,
    policy_id      TEXT COLLATE "C"    NOT NULL,
    policy_version TEXT COLLATE "C"    NOT NULL,
    log_seq        BIGINT NOT NULL,
    created_at     TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, index_id)
);
CREATE INDEX idx_policy_eval_seq ON dg_policy_eval_index (tenant_id, log_seq, index_id);

CREATE TABLE dg_precedent_index (
    tenant_id             TEXT    NOT NULL DEFAULT 'default',
    source_event_id       TEXT COLLATE "C"    NOT NULL,
    log_seq               BIGINT NOT NULL,
    trace_id              TEXT COLLATE "C"    NOT NULL,
    policy_id             TEXT COLLATE "C"    NOT NULL,
    policy_version        TEXT COLLATE "C"    NOT NULL,
    exception_id          TEXT    NULL,
    primary_entity_type   TEXT    NULL,
    primary_entity_system TEXT    NULL,
    primary_entity_id     TEXT    NULL,
    PRIMARY KEY (tenant_id, source_event_id)
);
CREATE INDEX idx_precedent_trace ON dg_precedent_index (tenant_id, trace_id, policy_id, policy_version);
CREATE INDEX idx_precedent_policy ON dg_precedent_index (tenant_id, policy_id, policy_version);

CREATE TABLE dg_projection_digests (
    tenant_id       TEXT    NOT NULL DEFAULT 'default',
    projection_name TEXT    NOT NULL,
    digest_value    TEXT    NOT NULL,
    last_log_seq    BIGINT NOT NULL DEFAULT 0,
    updated_at      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, projection_name)
);
CREATE INDEX idx_projection_digests_seq ON dg_projection_digests (tenant_id, last_log_seq);

-- Runtime bookkeeping of the service (projections spec 7.4, 7.6).
CREATE TABLE dg_projection_failures (
    id              TEXT    NOT NULL PRIMARY KEY,
    tenant_id       TEXT    NOT NULL DEFAULT 'default',
    projection_name TEXT    NOT NULL,
    log_seq         BIGINT NULL,
    trace_id        TEXT    NULL,
    event_id        TEXT    NULL,
    error_code      TEXT    NOT NULL,
    error_message   TEXT    NOT NULL,
    recoverable     BOOLEAN NOT NULL DEFAULT FALSE,
    retry_count     INTEGER NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL DEFAULT 'open',
    metadata_json   TEXT    NOT NULL DEFAULT '{}',
    recorded_at     TEXT    NOT NULL,
    resolved_at     TEXT    NULL
);
CREATE INDEX idx_projection_failures_status ON dg_projection_failures (tenant_id, projection_name, status);
CREATE INDEX idx_projection_failures_seq ON dg_projection_failures (tenant_id, projection_name, log_seq);

CREATE TABLE dg_projection_runs (
    job_id           TEXT    NOT NULL PRIMARY KEY,
    tenant_id        TEXT    NOT NULL DEFAULT 'default',
    projection_name  TEXT    NOT NULL,
    mode             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    requested_at     TEXT    NOT NULL,
    started_at       TEXT    NULL,
    finished_at      TEXT    NULL,
    since_log_seq    BIGINT NOT NULL DEFAULT 0,
    until_log_seq    BIGINT NULL,
    processed_events BIGINT NOT NULL DEFAULT 0,
    last_log_seq     BIGINT NOT NULL DEFAULT 0,
    error_code       TEXT    NULL,
    error_message    TEXT    NULL,
    metadata_json    TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_projection_runs_projection ON dg_projection_runs (tenant_id, projection_name);
CREATE INDEX idx_projection_runs_status ON dg_projection_runs (status, requested_at);
