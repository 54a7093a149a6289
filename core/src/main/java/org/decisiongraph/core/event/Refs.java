package org.decisiongraph.core.event;

import java.util.Map;
import java.util.Objects;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;

/**
 * The value types of the reference (core spec 1) as records, each with the JSON object the reference's
 * dataclasses serialise to: every field is written, unset optional fields as JSON {@code null}.
 * Literal domains (actor types, subject types, value types) are documented, not enforced (decision D1).
 */
public final class Refs {
    private Refs() {
    }

    /** {@code EntityRef}: {@code system} may be null (then written as null). */
    public record EntityRef(String entityType, String entityId, String system) {
        public EntityRef {
            Objects.requireNonNull(entityType, "entityType");
            Objects.requireNonNull(entityId, "entityId");
        }

        public EntityRef(String entityType, String entityId) {
            this(entityType, entityId, null);
        }

        public JsonObject toJson() {
            return JsonObject.builder().put("entity_type", entityType).put("entity_id", entityId).put("system", system).build();
        }
    }

    /** {@code Value}: always a string value ({@code "123.45"} for decimals, never a float). */
    public record Value(String type, String value) {
        public Value {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
        }

        public JsonObject toJson() {
            return JsonObject.builder().put("type", type).put("value", value).build();
        }
    }

    /** {@code Fact}: {@code asOf} (RFC 3339) may be null. */
    public record Fact(String key, Value value, String asOf) {
        public Fact {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        public JsonObject toJson() {
            return JsonObject.builder().put("key", key).put("value", value.toJson()).put("as_of", asOf).build();
        }
    }

    /** {@code SourceObjectRef}: {@code locator} may be null. */
    public record SourceObjectRef(String system, String objectType, String objectId, String locator) {
        public SourceObjectRef {
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(objectType, "objectType");
            Objects.requireNonNull(objectId, "objectId");
        }

        public JsonObject toJson() {
            return JsonObject.builder().put("system", system).put("object_type", objectType).put("object_id", objectId)
                    .put("locator", locator).build();
        }
    }

    /** {@code EvidenceRef}: {@code excerptRedacted} may be null. */
    public record EvidenceRef(SourceObjectRef source, String locator, String excerptRedacted) {
        public EvidenceRef {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(locator, "locator");
        }

        public JsonObject toJson() {
            return JsonObject.builder().put("source", source.toJson()).put("locator", locator)
                    .put("excerpt_redacted", excerptRedacted).build();
        }
    }

    /** {@code PolicyRef}. */
    public record PolicyRef(String policyId, String policyVersion) {
        public PolicyRef {
            Objects.requireNonNull(policyId, "policyId");
            Objects.requireNonNull(policyVersion, "policyVersion");
        }

        public JsonObject toJson() {
            return JsonObject.builder().put("policy_id", policyId).put("policy_version", policyVersion).build();
        }
    }

    /** {@code Violation}: {@code details} (string to string) may be null. */
    public record Violation(String code, String message, Map<String, String> details) {
        public Violation {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            details = details == null ? null : Map.copyOf(details);
        }

        public JsonObject toJson() {
            Json d = Json.ofNullable((String) null);
            if (details != null) {
                JsonObject.Builder b = JsonObject.builder();
                details.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.put(e.getKey(), e.getValue()));
                d = b.build();
            }
            return JsonObject.builder().put("code", code).put("message", message).put("details", d).build();
        }
    }

    /** {@code Change}: {@code oldValue} may be null. */
    public record Change(String path, Value oldValue, Value newValue) {
        public Change {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(newValue, "newValue");
        }

        public JsonObject toJson() {
            return JsonObject.builder().put("path", path)
                    .put("old_value", oldValue == null ? Json.ofNullable((String) null) : oldValue.toJson())
                    .put("new_value", newValue.toJson()).build();
        }
    }

    /** {@code ApprovalSubject}: subject_type is normally {@code exception} or {@code action}. */
    public record ApprovalSubject(String subjectType, String subjectId) {
        public ApprovalSubject {
            Objects.requireNonNull(subjectType, "subjectType");
            Objects.requireNonNull(subjectId, "subjectId");
        }

        public JsonObject toJson() {
            return JsonObject.builder().put("subject_type", subjectType).put("subject_id", subjectId).build();
        }
    }
}
