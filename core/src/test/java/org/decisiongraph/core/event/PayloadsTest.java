package org.decisiongraph.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.decisiongraph.core.CoreFixtures;
import org.decisiongraph.core.event.Refs.ApprovalSubject;
import org.decisiongraph.core.event.Refs.EntityRef;
import org.decisiongraph.core.event.Refs.Fact;
import org.decisiongraph.core.event.Refs.PolicyRef;
import org.decisiongraph.core.event.Refs.SourceObjectRef;
import org.decisiongraph.core.event.Refs.Value;
import org.decisiongraph.core.event.Refs.Violation;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.junit.jupiter.api.Test;

/** The typed payload builders reproduce the reference's shapes (core spec 2.2), checked against the api_* vectors. */
class PayloadsTest {

    private static Map<String, JsonObject> apiVectors() {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        for (Json c : CoreFixtures.cases("canonical_json")) {
            JsonObject o = (JsonObject) c;
            if (o.getString("id").startsWith("api_")) {
                out.put(o.getString("id"), o);
            }
        }
        return out;
    }

    private static void assertMatches(JsonObject vector, JsonObject built) {
        assertThat(JsonWriter.canonical(built)).isEqualTo(vector.getString("expected_canonical"));
        assertThat(Hashing.payloadHash(built)).isEqualTo(vector.getString("expected_payload_hash"));
    }

    @Test
    void buildersReproduceEveryApiVector() {
        Map<String, JsonObject> v = apiVectors();
        assertThat(v).hasSize(4);
        assertMatches(v.get("api_trace_started_system_null"),
                Payloads.traceStarted("renewal", "Review renewal", new EntityRef("account", "acct-123"), null));
        assertMatches(v.get("api_trace_started_with_context"),
                Payloads.traceStarted("renewal", "Review renewal", new EntityRef("account", "acct-123", "crm"), Map.of("region", "eu")));
        assertMatches(v.get("api_policy_evaluated_minimal"),
                Payloads.policyEvaluated(new PolicyRef("discount-cap", "1.0"), List.of("input-1"), "allow", List.of(), JsonObject.empty()));
        assertMatches(v.get("api_input_observed_dataclass_nulls"),
                Payloads.inputObserved("input-1", new SourceObjectRef("crm", "ticket", "t-1", null),
                        List.of(new Fact("segment", new Value("string", "strategic"), null))));
    }

    @Test
    void emptyCollectionsAreOmittedButNullScalarsDependOnTheField() {
        assertThat(Payloads.traceStarted("w", "t", new EntityRef("a", "b"), Map.of()).has("context")).isFalse();
        assertThat(Payloads.traceFinished("success", "").has("summary")).isFalse();
        assertThat(Payloads.traceFinished("success", "done").getString("summary")).isEqualTo("done");
        JsonObject withViolation = Payloads.policyEvaluated(new PolicyRef("p", "1"), List.of(), "deny",
                List.of(new Violation("over_cap", "too much", null)), null);
        assertThat(JsonWriter.canonical(withViolation.get("violations")))
                .isEqualTo("[{\"code\":\"over_cap\",\"details\":null,\"message\":\"too much\"}]");
        assertThat(Payloads.exceptionRequested("ex", new PolicyRef("p", "1"), "r", List.of()).has("evidence")).isFalse();

        ApprovalSubject subject = new ApprovalSubject("exception", "ex");
        Actor approver = new Actor("person", "alice");
        assertThat(Payloads.approvalRecorded("ap", subject, approver, "approved", null, null).has("reason")).isFalse();
        assertThat(Payloads.approvalRecorded("ap", subject, approver, "approved", "", null).getString("reason")).isEmpty();
        assertThat(Payloads.precedentCited("t", "r", null).has("similarity_score")).isFalse();
        JsonObject committed = Payloads.actionCommitted("a", "failure", null, "timeout");
        assertThat(committed.has("external_reference")).isFalse();
        assertThat(committed.getString("error")).isEqualTo("timeout");
    }

    @Test
    void builtPayloadsPassTheirSchemaChecks() {
        var validator = new org.decisiongraph.core.validate.EventValidator(EventTypeSet.REFERENCE);
        EntityRef account = new EntityRef("account", "acct-1");
        Map<String, JsonObject> payloads = new LinkedHashMap<>();
        payloads.put("TraceStarted", Payloads.traceStarted("w", "t", account, null));
        payloads.put("EntityObserved", Payloads.entityObserved(account, "primary", List.of()));
        payloads.put("ExceptionRequested", Payloads.exceptionRequested("ex", new PolicyRef("p", "1"), "r", null));
        payloads.put("ApprovalRecorded", Payloads.approvalRecorded("ap", new ApprovalSubject("exception", "ex"),
                new Actor("person", "alice"), "approved", "ok", null));
        payloads.put("PrecedentCited", Payloads.precedentCited("t-0", "similar", "0.9"));
        payloads.put("ActionProposed", Payloads.actionProposed("act", "update", account, "crm",
                List.of(new Refs.Change("/price", null, new Value("decimal", "9.50")))));
        payloads.put("ActionCommitted", Payloads.actionCommitted("act", "success", "ext-1", null));
        payloads.put("TraceFinished", Payloads.traceFinished("success", null));
        int seq = 0;
        for (var e : payloads.entrySet()) {
            EventEnvelope env = new EventEnvelope("e" + seq, "tr", seq, e.getKey(), "2026-01-01T00:00:00Z",
                    new Source("p", "s", null), new Actor("agent", "a"), "k" + seq, e.getValue(), null, null, 1, List.of());
            assertThat(validator.validate(env).payloadHash()).startsWith("sha256:");
            seq++;
        }
        assertThat(seq).isEqualTo(8);
    }
}
