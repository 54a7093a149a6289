package org.decisiongraph.core.validate;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

import java.math.BigInteger;
import java.util.List;

/**
 * Payload checks per event type (core spec 2.1), in the reference's exact order; the first failure wins.
 * Literal domains are not enforced (decision D1); extra keys are always allowed.
 */
public final class PayloadSchema {
    private PayloadSchema() {
    }

    /** Checks the type name and payload; returns the resolved type. */
    public static EventType validate(String eventType, Json payload, EventTypeSet types) {
        EventType type = types.resolve(eventType);
        if (type == null) {
            throw DgErrors.unknownEventType(eventType);
        }
        if (!(payload instanceof JsonObject p)) {
            throw DgErrors.payloadNotObject();
        }
        switch (type) {
            case TRACE_STARTED -> {
                str(p, "$", "workflow");
                str(p, "$", "title");
                JsonObject e = obj(p, "$", "primary_entity");
                str(e, "$.primary_entity", "entity_type");
                str(e, "$.primary_entity", "entity_id");
            }
            case INPUT_OBSERVED -> {
                str(p, "$", "input_id");
                JsonObject s = obj(p, "$", "source");
                str(s, "$.source", "system");
                str(s, "$.source", "object_type");
                str(s, "$.source", "object_id");
                list(p, "$", "facts");
            }
            case ENTITY_OBSERVED -> {
                JsonObject e = obj(p, "$", "entity");
                str(e, "$.entity", "entity_type");
                str(e, "$.entity", "entity_id");
                str(p, "$", "role");
                list(p, "$", "facts");
            }
            case POLICY_EVALUATED -> {
                JsonObject pol = obj(p, "$", "policy");
                str(pol, "$.policy", "policy_id");
                str(pol, "$.policy", "policy_version");
                list(p, "$", "inputs");
                str(p, "$", "decision");
            }
            case EXCEPTION_REQUESTED -> {
                str(p, "$", "exception_id");
                JsonObject pol = obj(p, "$", "policy");
                str(pol, "$.policy", "policy_id");
                str(pol, "$.policy", "policy_version");
                str(p, "$", "reason");
            }
            case APPROVAL_RECORDED -> {
                str(p, "$", "approval_id");
                JsonObject sub = obj(p, "$", "subject");
                str(sub, "$.subject", "subject_type");
                str(sub, "$.subject", "subject_id");
                JsonObject ap = obj(p, "$", "approver");
                str(ap, "$.approver", "actor_type");
                str(ap, "$.approver", "actor_id");
                str(p, "$", "decision");
            }
            case PRECEDENT_CITED -> {
                str(p, "$", "cited_trace_id");
                str(p, "$", "reason");
            }
            case ACTION_PROPOSED -> {
                str(p, "$", "action_id");
                str(p, "$", "action_type");
                JsonObject te = obj(p, "$", "target_entity");
                str(te, "$.target_entity", "entity_type");
                str(te, "$.target_entity", "entity_id");
                str(p, "$", "target_system");
                list(p, "$", "changes");
            }
            case ACTION_COMMITTED -> {
                str(p, "$", "action_id");
                str(p, "$", "status");
            }
            case TRACE_FINISHED -> str(p, "$", "outcome");
            case WORKFLOW_REVIEW_REQUESTED -> workflowReview(p);
        }
        return type;
    }

    /** Review priorities the platform's workflow runtime understands (platform spec 1.4, "Our contract"). */
    public static final List<String> REVIEW_PRIORITIES = List.of("urgent", "high", "normal", "low");

    /**
     * The platform's extra type (core spec 11, decision D9): the BEAM field rules (non-blank strings,
     * objects, positive integer {@code sla_hours}), checked in the listed order, then the priority domain.
     */
    private static void workflowReview(JsonObject p) {
        nonBlank(p, "$", "template_id");
        nonBlank(p, "$", "workflow_kind");
        nonBlank(p, "$", "title");
        nonBlank(p, "$", "reason");
        nonBlank(p, "$", "priority");
        obj(p, "$", "assignee");
        JsonObject sub = obj(p, "$", "subject");
        nonBlank(sub, "$.subject", "subject_type");
        nonBlank(sub, "$.subject", "subject_id");
        obj(p, "$", "simulation");
        if (!(p.get("sla_hours") instanceof JsonInt h) || h.value().compareTo(BigInteger.ZERO) <= 0) {
            throw DgErrors.schema("Missing or invalid positive integer for '$.sla_hours'");
        }
        String priority = p.getString("priority");
        if (!REVIEW_PRIORITIES.contains(priority)) {
            throw DgErrors.invalidValue(priority, "$.priority");
        }
    }

    private static void str(JsonObject o, String path, String key) {
        if (!(o.get(key) instanceof JsonString s) || s.value().isEmpty()) {
            throw DgErrors.missingString(path + "." + key);
        }
    }

    private static void nonBlank(JsonObject o, String path, String key) {
        if (!(o.get(key) instanceof JsonString s) || s.value().isBlank()) {
            throw DgErrors.missingString(path + "." + key);
        }
    }

    private static JsonObject obj(JsonObject o, String path, String key) {
        if (o.get(key) instanceof JsonObject v) {
            return v;
        }
        throw DgErrors.missingObject(path + "." + key);
    }

    private static void list(JsonObject o, String path, String key) {
        if (!(o.get(key) instanceof JsonArray)) {
            throw DgErrors.missingList(path + "." + key);
        }
    }
}
