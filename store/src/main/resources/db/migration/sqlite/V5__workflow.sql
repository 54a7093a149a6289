-- Human review workflow (platform spec 3): the "workflow" projection's cursor, review items, action rows
-- and durable notifications. Instants are UTC text yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z' (sorts like the instant).
CREATE TABLE dg_workflow_runtime (
    tenant_id    TEXT    NOT NULL PRIMARY KEY,
    last_log_seq INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT    NOT NULL
);

CREATE TABLE dg_workflow_items (
    tenant_id               TEXT    NOT NULL DEFAULT 'default',
    workflow_id             TEXT    NOT NULL,
    trace_id                TEXT    NOT NULL,
    workflow_kind           TEXT    NOT NULL,
    workflow_name           TEXT    NULL,
    subject_type            TEXT    NOT NULL,
    subject_id              TEXT    NOT NULL,
    status                  TEXT    NOT NULL,
    priority                TEXT    NOT NULL DEFAULT 'high',
    title                   TEXT    NOT NULL,
    policy_id               TEXT    NULL,
    policy_version          TEXT    NULL,
    requested_by_actor_id   TEXT    NULL,
    requested_by_actor_type TEXT    NULL,
    assigned_account_id     TEXT    NULL,
    assigned_role           TEXT    NULL,
    requested_at            TEXT    NOT NULL,
    sla_due_at              TEXT    NULL,
    updated_at              TEXT    NOT NULL,
    resolved_at             TEXT    NULL,
    last_action_type        TEXT    NULL,
    last_action_at          TEXT    NULL,
    current_decision        TEXT    NULL,
    current_reason          TEXT    NULL,
    approval_event_id       TEXT    NULL,
    created_from_event_id   TEXT    NOT NULL,
    last_source_log_seq     INTEGER NOT NULL DEFAULT 0,
    metadata_json           TEXT    NOT NULL DEFAULT '{}',
    escalation_count        INTEGER NOT NULL DEFAULT 0,
    review_trace_id         TEXT    NULL,
    priority_rank           INTEGER NOT NULL DEFAULT 3,
    PRIMARY KEY (tenant_id, workflow_id)
);
CREATE UNIQUE INDEX dg_workflow_items_trace_subject_idx ON dg_workflow_items (tenant_id, trace_id, subject_type, subject_id);
CREATE INDEX dg_workflow_items_status_idx ON dg_workflow_items (tenant_id, status);
CREATE INDEX dg_workflow_items_trace_idx ON dg_workflow_items (tenant_id, trace_id);
CREATE INDEX dg_workflow_items_account_idx ON dg_workflow_items (tenant_id, assigned_account_id);
CREATE INDEX dg_workflow_items_role_idx ON dg_workflow_items (tenant_id, assigned_role);
CREATE INDEX dg_workflow_items_due_idx ON dg_workflow_items (tenant_id, sla_due_at);
CREATE INDEX dg_workflow_items_seq_idx ON dg_workflow_items (tenant_id, last_source_log_seq);
-- the inbox order of open items (priority_rank: urgent 0, high 1, normal 2, other 3)
CREATE INDEX dg_workflow_items_inbox_idx ON dg_workflow_items (tenant_id, priority_rank, requested_at, workflow_id)
    WHERE status IN ('requested', 'in_review', 'changes_requested', 'escalated');
CREATE INDEX dg_workflow_items_role_inbox_idx ON dg_workflow_items (tenant_id, assigned_role, priority_rank, requested_at, workflow_id)
    WHERE status IN ('requested', 'in_review', 'changes_requested', 'escalated');
CREATE INDEX dg_workflow_items_account_inbox_idx ON dg_workflow_items (tenant_id, assigned_account_id, priority_rank, requested_at, workflow_id)
    WHERE status IN ('requested', 'in_review', 'changes_requested', 'escalated');
CREATE INDEX dg_workflow_items_open_due_idx ON dg_workflow_items (tenant_id, sla_due_at)
    WHERE status IN ('requested', 'in_review', 'changes_requested', 'escalated');

CREATE TABLE dg_workflow_actions (
    tenant_id        TEXT NOT NULL DEFAULT 'default',
    action_id        TEXT NOT NULL,
    workflow_id      TEXT NOT NULL,
    trace_id         TEXT NOT NULL,
    action_type      TEXT NOT NULL,
    actor_id         TEXT NULL,
    actor_type       TEXT NULL,
    actor_account_id TEXT NULL,
    note             TEXT NULL,
    payload_json     TEXT NOT NULL DEFAULT '{}',
    source_event_id  TEXT NULL,
    resulting_status TEXT NULL,
    request_key      TEXT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, action_id)
);
CREATE UNIQUE INDEX dg_workflow_actions_source_event_idx ON dg_workflow_actions (tenant_id, source_event_id);
CREATE UNIQUE INDEX dg_workflow_actions_request_key_idx ON dg_workflow_actions (tenant_id, request_key);
CREATE INDEX dg_workflow_actions_item_idx ON dg_workflow_actions (tenant_id, workflow_id, created_at);
CREATE INDEX dg_workflow_actions_type_idx ON dg_workflow_actions (tenant_id, action_type);

CREATE TABLE dg_workflow_notifications (
    tenant_id            TEXT NOT NULL DEFAULT 'default',
    notification_id      TEXT NOT NULL,
    workflow_id          TEXT NOT NULL,
    trace_id             TEXT NOT NULL,
    category             TEXT NOT NULL,
    channel              TEXT NOT NULL DEFAULT 'operator_console',
    status               TEXT NOT NULL DEFAULT 'delivered',
    message              TEXT NOT NULL,
    recipient_account_id TEXT NULL,
    recipient_role       TEXT NULL,
    payload_json         TEXT NOT NULL DEFAULT '{}',
    dedupe_key           TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    delivered_at         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, notification_id)
);
CREATE UNIQUE INDEX dg_workflow_notifications_dedupe_idx ON dg_workflow_notifications (tenant_id, dedupe_key);
CREATE INDEX dg_workflow_notifications_item_idx ON dg_workflow_notifications (tenant_id, workflow_id, created_at);
CREATE INDEX dg_workflow_notifications_category_idx ON dg_workflow_notifications (tenant_id, category, created_at);

-- Webhook subscriptions of a tenant (platform spec 1.15.9) and their delivery log (an outbox: rows are
-- enqueued in the transaction that writes the notification, then claimed and sent by the dispatcher).
CREATE TABLE dg_webhooks (
    tenant_id            TEXT    NOT NULL,
    webhook_id           TEXT    NOT NULL,
    url                  TEXT    NOT NULL,
    topics_json          TEXT    NOT NULL DEFAULT '[]',
    event_types_json     TEXT    NOT NULL DEFAULT '[]',
    status               TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    secret_ciphertext    TEXT    NOT NULL,
    created_at           TEXT    NOT NULL,
    created_by           TEXT    NULL,
    last_delivery_at     TEXT    NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, webhook_id)
);

CREATE TABLE dg_webhook_deliveries (
    tenant_id        TEXT    NOT NULL,
    delivery_id      TEXT    NOT NULL,
    webhook_id       TEXT    NOT NULL,
    topic            TEXT    NOT NULL,
    dedupe_key       TEXT    NOT NULL,
    body_json        TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_status_code INTEGER NULL,
    last_error       TEXT    NULL,
    next_attempt_at  TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    delivered_at     TEXT    NULL,
    PRIMARY KEY (tenant_id, delivery_id)
);
CREATE UNIQUE INDEX dg_webhook_deliveries_dedupe_idx ON dg_webhook_deliveries (tenant_id, webhook_id, dedupe_key);
CREATE INDEX dg_webhook_deliveries_due_idx ON dg_webhook_deliveries (status, next_attempt_at);
CREATE INDEX dg_webhook_deliveries_list_idx ON dg_webhook_deliveries (tenant_id, webhook_id, created_at);

-- Evidence files attached to a review item: stored in the database with their SHA-256, served only inside
-- the tenant.
CREATE TABLE dg_workflow_attachments (
    tenant_id     TEXT    NOT NULL,
    attachment_id TEXT    NOT NULL,
    workflow_id   TEXT    NOT NULL,
    file_name     TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    content       BLOB    NOT NULL,
    uploaded_by   TEXT    NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, attachment_id)
);
CREATE INDEX dg_workflow_attachments_item_idx ON dg_workflow_attachments (tenant_id, workflow_id, created_at);

-- Tenant review templates, versioned (version 1, 2, ...; the highest is current). The three built-in
-- templates are code, not rows.
CREATE TABLE dg_workflow_templates (
    tenant_id   TEXT    NOT NULL,
    template_id TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    body_json   TEXT    NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT    NULL,
    PRIMARY KEY (tenant_id, template_id, version)
);
