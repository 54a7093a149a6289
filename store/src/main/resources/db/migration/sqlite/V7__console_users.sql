-- Console users and logins (platform spec 2.7): per-user Argon2id password hashes, per-tenant memberships
-- (roles and permissions as JSON lists; tenant_id may be '*'), and server-side login records. The browser
-- holds only a random login id; the table keeps "sha256:" + hex(SHA-256(login id)).
CREATE TABLE dg_users (
    user_id            TEXT    NOT NULL PRIMARY KEY,
    display_name       TEXT    NULL,
    password_hash      TEXT    NOT NULL,
    status             TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at         TEXT    NOT NULL,
    last_login_at      TEXT    NULL,
    failed_login_count INTEGER NOT NULL DEFAULT 0,
    locked_until       TEXT    NULL
);

CREATE TABLE dg_user_memberships (
    user_id          TEXT NOT NULL REFERENCES dg_users (user_id),
    tenant_id        TEXT NOT NULL,
    roles_json       TEXT NOT NULL DEFAULT '[]',
    permissions_json TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (user_id, tenant_id)
);

CREATE TABLE dg_console_logins (
    login_id_sha256 TEXT NOT NULL PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES dg_users (user_id),
    created_at      TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    csrf_token      TEXT NOT NULL
);

CREATE INDEX idx_console_logins_user ON dg_console_logins (user_id);
