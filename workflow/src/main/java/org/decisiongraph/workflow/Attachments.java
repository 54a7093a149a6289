package org.decisiongraph.workflow;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.workflow.Attachment;
import org.decisiongraph.store.workflow.WorkflowAction;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;

/**
 * Evidence files of review items: upload (permission {@code workflow_review}, at most {@value #MAX_BYTES}
 * bytes, an allowed content type, stored with its SHA-256, an {@code attachment} action row and an audit
 * row in one transaction; the id derives from the request id, so a retry stores nothing new) and download
 * (only inside the tenant). Thread-safe.
 */
public final class Attachments {
    public static final int MAX_BYTES = 5 * 1024 * 1024;
    public static final List<String> TYPES = List.of("application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv",
            "application/json");

    private final WorkflowStore store;
    private final AccessStore access;
    private final Clock clock;

    public Attachments(WorkflowStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.access = new AccessStore(store.database());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Attachment upload(String tenant, String workflowId, String fileName, String contentType, byte[] content, Caller caller) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            WorkflowItem item = store.item(tenant, workflowId)
                    .orElseThrow(() -> WorkflowError.notFound("Workflow not found: " + workflowId));
            if (!caller.has("workflow_review")) {
                throw WorkflowError.forbidden("Service account lacks workflow_review permission");
            }
            String name = fileName == null ? "" : fileName.strip();
            if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(c -> c < 0x20 || c == '/' || c == '\\')) {
                throw WorkflowError.invalid("file_name is required (at most 200 characters, no path separators)");
            }
            String type = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                throw WorkflowError.invalid("Unsupported attachment type \"" + type + "\"");
            }
            if (content.length == 0) {
                throw WorkflowError.invalid("Attachment is empty");
            }
            if (content.length > MAX_BYTES) {
                throw WorkflowError.invalid("Attachment exceeds " + MAX_BYTES + " bytes");
            }
            String id = "att-" + WorkflowProjection.nameUuid(tenant + "\n" + workflowId + "\nattachment\n" + caller.requestId());
            Attachment a = new Attachment(tenant, id, workflowId, name, type, content.length, "sha256:" + sha256(content), content,
                    caller.accountId(), now);
            return store.write(tenant, tx -> {
                if (!tx.insertAttachment(a)) {
                    return store.attachment(tenant, workflowId, id).orElse(a);
                }
                JsonObject meta = JsonObject.builder().put("attachment_id", id).put("content_type", type).put("file_name", name)
                        .put("sha256", a.sha256()).put("size_bytes", content.length).build();
                tx.insertAction(new WorkflowAction(tenant, "wfa:" + WorkflowProjection.nameUuid(id), workflowId, item.traceId(),
                        "attachment", caller.accountId(), caller.approverType(), caller.accountId(), name, meta, null, item.status(),
                        null, now));
                tx.audit(new AuditRecord(tenant, now, caller.actorKind(), caller.accountId(), caller.roles(), "attachment_upload",
                        "workflow", workflowId, "accepted", null, null, caller.requestId(), caller.clientAddress(), meta));
                return a;
            });
        } catch (WorkflowError e) {
            access.appendAudit(new AuditRecord(tenant, now, caller.actorKind(), caller.accountId(), caller.roles(), "attachment_upload",
                    "workflow", workflowId, e.status() == 403 ? "denied" : "rejected", e.message(), e.code(), caller.requestId(),
                    caller.clientAddress(), JsonObject.empty()));
            throw e;
        }
    }

    public Attachment download(String tenant, String workflowId, String attachmentId) {
        return store.attachment(tenant, workflowId, attachmentId)
                .orElseThrow(() -> WorkflowError.notFound("Attachment not found: " + attachmentId));
    }

    public List<Attachment> list(String tenant, String workflowId) {
        return store.attachments(tenant, workflowId);
    }

    public static JsonObject json(Attachment a) {
        return JsonObject.builder().put("attachment_id", a.attachmentId()).put("content_type", a.contentType())
                .put("created_at", Js.time(a.createdAt())).put("file_name", a.fileName()).put("sha256", a.sha256())
                .put("size_bytes", a.sizeBytes()).put("uploaded_by", Js.str(a.uploadedBy())).put("workflow_id", a.workflowId())
                .build();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
