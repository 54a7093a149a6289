-- Access control and audit (platform spec 2.1, 1.15.7, 2.6): service accounts, their hashed keys, the
-- tenant registry and the append-only, hash-chained audit log. Tokens are never stored, only
-- "sha256:" + hex(SHA-256(token)).
CREATE TABLE dg_service_accounts (
    account_id       TEXT NOT NULL PRIMARY KEY,
    display_name     TEXT NULL,
    roles_json       TEXT NOT NULL DEFAULT '[]',
    permissions_json TEXT NOT NULL DEFAULT '[]',
    tenant_ids_json  TEXT NOT NULL DEFAULT '[]',
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at       TEXT NOT NULL,
    created_by       TEXT NULL
);

CREATE TABLE dg_service_account_keys (
    key_id         TEXT NOT NULL PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES dg_service_accounts (account_id),
    token_sha256   TEXT NOT NULL UNIQUE,
    display_prefix TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT NULL,
    expires_at     TEXT NULL,
    revoked_at     TEXT NULL,
    revoked_by     TEXT NULL,
    last_used_at   TEXT NULL
);

CREATE INDEX idx_service_account_keys_account ON dg_service_account_keys (account_id);

CREATE TABLE dg_tenants (
    tenant_id    TEXT NOT NULL PRIMARY KEY,
    display_name TEXT NULL,
    origin       TEXT NOT NULL CHECK (origin IN ('api', 'implicit', 'config')),
    created_at   TEXT NOT NULL,
    created_by   TEXT NULL
);

CREATE TABLE audit_log (
    audit_id         INTEGER NOT NULL PRIMARY KEY,
    chain_id         TEXT    NOT NULL,
    tenant_id        TEXT    NULL,
    recorded_at      TEXT    NOT NULL,
    actor_kind       TEXT    NOT NULL,
    actor_id         TEXT    NULL,
    actor_roles_json TEXT    NOT NULL DEFAULT '[]',
    action           TEXT    NOT NULL,
    target_type      TEXT    NULL,
    target_id        TEXT    NULL,
    outcome          TEXT    NOT NULL CHECK (outcome IN ('accepted', 'rejected', 'denied')),
    reason           TEXT    NULL,
    error_code       TEXT    NULL,
    request_id       TEXT    NULL,
    client_address   TEXT    NULL,
    details_json     TEXT    NOT NULL DEFAULT '{}',
    prev_hash        TEXT    NOT NULL,
    entry_hash       TEXT    NOT NULL
);

CREATE INDEX idx_audit_log_tenant ON audit_log (tenant_id, audit_id);
CREATE INDEX idx_audit_log_tenant_action ON audit_log (tenant_id, action, audit_id);
CREATE INDEX idx_audit_log_tenant_target ON audit_log (tenant_id, target_type, target_id);
CREATE INDEX idx_audit_log_chain ON audit_log (chain_id, audit_id);

-- The audit log is append-only.
CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete
BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
