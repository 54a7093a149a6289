package org.decisiongraph.core.event;

import java.util.List;
import java.util.Map;

import org.decisiongraph.core.event.Refs.ApprovalSubject;
import org.decisiongraph.core.event.Refs.Change;
import org.decisiongraph.core.event.Refs.EntityRef;
import org.decisiongraph.core.event.Refs.EvidenceRef;
import org.decisiongraph.core.event.Refs.Fact;
import org.decisiongraph.core.event.Refs.PolicyRef;
import org.decisiongraph.core.event.Refs.SourceObjectRef;
import org.decisiongraph.core.event.Refs.Violation;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;

/**
 * The payloads the reference's typed event methods build (core spec 2.2). They decide hash parity, so the
 * rules on omitted versus null fields are reproduced exactly: {@code context}, {@code summary},
 * {@code violations}, {@code explanation} and {@code evidence} are left out when empty; {@code reason}
 * (ApprovalRecorded), {@code similarity_score}, {@code external_reference} and {@code error} only when null;
 * value-type fields are always written, unset ones as null.
 */
public final class Payloads {
    private Payloads() {
    }

    public static JsonObject traceStarted(String workflow, String title, EntityRef primaryEntity, Map<String, String> context) {
        JsonObject.Builder b = JsonObject.builder().put("workflow", workflow).put("title", title)
                .put("primary_entity", primaryEntity.toJson());
        if (context != null && !context.isEmpty()) {
            JsonObject.Builder c = JsonObject.builder();
            context.forEach(c::put);
            b.put("context", c.build());
        }
        return b.build();
    }

    public static JsonObject traceFinished(String outcome, String summary) {
        JsonObject.Builder b = JsonObject.builder().put("outcome", outcome);
        if (summary != null && !summary.isEmpty()) {
            b.put("summary", summary);
        }
        return b.build();
    }

    public static JsonObject inputObserved(String inputId, SourceObjectRef source, List<Fact> facts) {
        return JsonObject.builder().put("input_id", inputId).put("source", source.toJson())
                .put("facts", JsonArray.of(facts.stream().map(Fact::toJson).toList())).build();
    }

    public static JsonObject entityObserved(EntityRef entity, String role, List<Fact> facts) {
        return JsonObject.builder().put("entity", entity.toJson()).put("role", role)
                .put("facts", JsonArray.of(facts.stream().map(Fact::toJson).toList())).build();
    }

    public static JsonObject policyEvaluated(PolicyRef policy, List<String> inputs, String decision,
                                             List<Violation> violations, JsonObject explanation) {
        JsonObject.Builder b = JsonObject.builder().put("policy", policy.toJson()).put("inputs", Json.strings(inputs))
                .put("decision", decision);
        if (violations != null && !violations.isEmpty()) {
            b.put("violations", JsonArray.of(violations.stream().map(Violation::toJson).toList()));
        }
        if (explanation != null && !explanation.isEmpty()) {
            b.put("explanation", explanation);
        }
        return b.build();
    }

    public static JsonObject exceptionRequested(String exceptionId, PolicyRef policy, String reason, List<EvidenceRef> evidence) {
        JsonObject.Builder b = JsonObject.builder().put("exception_id", exceptionId).put("policy", policy.toJson())
                .put("reason", reason);
        putEvidence(b, evidence);
        return b.build();
    }

    public static JsonObject approvalRecorded(String approvalId, ApprovalSubject subject, Actor approver, String decision,
                                              String reason, List<EvidenceRef> evidence) {
        JsonObject.Builder b = JsonObject.builder().put("approval_id", approvalId).put("subject", subject.toJson())
                .put("approver", EnvelopeJson.actorJson(approver)).put("decision", decision);
        if (reason != null) {
            b.put("reason", reason); // an empty string is kept
        }
        putEvidence(b, evidence);
        return b.build();
    }

    public static JsonObject precedentCited(String citedTraceId, String reason, String similarityScore) {
        JsonObject.Builder b = JsonObject.builder().put("cited_trace_id", citedTraceId).put("reason", reason);
        if (similarityScore != null) {
            b.put("similarity_score", similarityScore);
        }
        return b.build();
    }

    public static JsonObject actionProposed(String actionId, String actionType, EntityRef targetEntity, String targetSystem,
                                            List<Change> changes) {
        return JsonObject.builder().put("action_id", actionId).put("action_type", actionType)
                .put("target_entity", targetEntity.toJson()).put("target_system", targetSystem)
                .put("changes", JsonArray.of(changes.stream().map(Change::toJson).toList())).build();
    }

    public static JsonObject actionCommitted(String actionId, String status, String externalReference, String error) {
        JsonObject.Builder b = JsonObject.builder().put("action_id", actionId).put("status", status);
        if (externalReference != null) {
            b.put("external_reference", externalReference);
        }
        if (error != null) {
            b.put("error", error);
        }
        return b.build();
    }

    private static void putEvidence(JsonObject.Builder b, List<EvidenceRef> evidence) {
        if (evidence != null && !evidence.isEmpty()) {
            b.put("evidence", JsonArray.of(evidence.stream().map(EvidenceRef::toJson).toList()));
        }
    }
}
