-- Projection runtime of the service (platform spec 1.15.6, projections spec 7): digest verification jobs and
-- worker leases (one node works a (tenant, projection) at a time; a lease expires when its node dies).
CREATE TABLE dg_digest_verifications (
    verification_id         TEXT    NOT NULL PRIMARY KEY,
    tenant_id               TEXT    NOT NULL,
    projection              TEXT    NOT NULL,
    status                  TEXT    NOT NULL,
    requested_at            TEXT    NOT NULL,
    started_at              TEXT    NULL,
    finished_at             TEXT    NULL,
    reason                  TEXT    NULL,
    request_id              TEXT    NULL,
    requested_by_account_id TEXT    NULL,
    results_json            TEXT    NOT NULL DEFAULT '[]',
    error_code              TEXT    NULL,
    error_message           TEXT    NULL
);
CREATE INDEX idx_digest_verifications_tenant ON dg_digest_verifications (tenant_id, requested_at);

CREATE TABLE dg_projection_leases (
    tenant_id       TEXT    NOT NULL,
    projection_name TEXT    NOT NULL,
    owner_id        TEXT    NOT NULL,
    expires_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, projection_name)
);
CREATE INDEX idx_projection_failures_recorded ON dg_projection_failures (tenant_id, recorded_at, id);
CREATE INDEX idx_projection_runs_requested ON dg_projection_runs (tenant_id, requested_at, job_id);
