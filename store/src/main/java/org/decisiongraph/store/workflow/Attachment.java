package org.decisiongraph.store.workflow;

import java.time.Instant;
import java.util.Objects;

/** An evidence file of a review item; {@code content} is null in listings. */
public record Attachment(String tenantId, String attachmentId, String workflowId, String fileName, String contentType,
                         long sizeBytes, String sha256, byte[] content, String uploadedBy, Instant createdAt) {
    public Attachment {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(attachmentId, "attachmentId");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
