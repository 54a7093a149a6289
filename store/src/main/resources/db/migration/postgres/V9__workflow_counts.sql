-- Inbox summary counters (platform spec 3.5), maintained by the workflow store in the transaction that changes
-- an item (counter 'status:<status>', +1/-1 on status changes) or inserts a notification (counter
-- 'notifications'), so the summary reads a handful of rows instead of counting the tenant's items.
CREATE TABLE dg_workflow_counts (
    tenant_id TEXT   NOT NULL DEFAULT 'default',
    counter   TEXT   NOT NULL,
    n         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, counter)
);

INSERT INTO dg_workflow_counts (tenant_id, counter, n)
SELECT tenant_id, 'status:' || status, COUNT(*) FROM dg_workflow_items GROUP BY tenant_id, status;

INSERT INTO dg_workflow_counts (tenant_id, counter, n)
SELECT tenant_id, 'notifications', COUNT(*) FROM dg_workflow_notifications GROUP BY tenant_id;
