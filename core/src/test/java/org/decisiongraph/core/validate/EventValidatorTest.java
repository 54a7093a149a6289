package org.decisiongraph.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventFiles;
import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.junit.jupiter.api.Test;

/** The order of the stateless append steps (core spec 5.1, 12 #9, 14 D5) and the two event-type sets (D9). */
class EventValidatorTest {
    private final EventValidator reference = new EventValidator(EventTypeSet.REFERENCE);
    private final EventValidator platform = new EventValidator(EventTypeSet.PLATFORM);

    static EventEnvelope envelope(String type, String payloadJson) {
        return envelope(type, JsonParser.parse(payloadJson), "k-1", List.of());
    }

    static EventEnvelope envelope(String type, Json payload, String key, List<String> tags) {
        return new EventEnvelope("e-1", "t-1", 0, type, "2026-01-01T00:00:00Z", new Source("p-1", "sys", null),
                new Actor("agent", "a-1"), key, payload, null, null, 1, tags);
    }

    private static DgException rejection(EventValidator v, EventEnvelope e) {
        Throwable t = catchThrowable(() -> v.validate(e));
        assertThat(t).isInstanceOf(DgException.class);
        return (DgException) t;
    }

    private static void rejects(EventValidator v, EventEnvelope e, ErrorCode code, String message) {
        DgException x = rejection(v, e);
        assertThat(x.code()).isEqualTo(code);
        assertThat(x.message()).isEqualTo(message);
    }

    private static final String START = "{\"workflow\":\"w\",\"title\":\"t\",\"primary_entity\":{\"entity_type\":\"a\",\"entity_id\":\"b\"}";

    @Test
    void stepsRunInTheReferenceOrder() {
        // 1 idempotency key before 3 schema
        rejects(reference, envelope("TraceStarted", JsonParser.parse("{}"), "", List.of()),
                ErrorCode.DG_ERR_INVALID_ARGUMENT, "Idempotency key cannot be empty");
        // 3 schema before 4 PII
        rejects(reference, envelope("TraceStarted", "{\"workflow\":\"token=1\"}"),
                ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Missing or invalid string for '$.title'");
        // 4 PII before 5 float (D5)
        rejects(reference, envelope("TraceStarted", START + ",\"score\":0.5,\"note\":\"Bearer x\"}"),
                ErrorCode.DG_ERR_PII_POLICY_VIOLATION, "Forbidden content 'Bearer ' found at '$.payload.note'");
        // 3 schema before 5 float
        rejects(reference, envelope("TraceStarted", "{\"workflow\":\"w\",\"score\":0.5}"),
                ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Missing or invalid string for '$.title'");
        // 5 float alone
        rejects(reference, envelope("TraceStarted", START + ",\"score\":0.5}"),
                ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Float found at '$.score': 0.5. Use string representation for decimals.");
        // unknown type and non-object payload come first in step 3
        rejects(reference, envelope("Nope", "[]"), ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Unknown event_type 'Nope'");
        rejects(reference, envelope("TraceStarted", "[]"), ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Payload must be a dict");
        // PII in metadata is found after the payload, in walk order
        rejects(reference, envelope("TraceStarted", JsonParser.parse(START + "}"), "sk-1", List.of("ok", "AKIA")),
                ErrorCode.DG_ERR_PII_POLICY_VIOLATION, "Forbidden content 'AKIA' found at '$.tags[1]'");
    }

    @Test
    void unpairedSurrogatesFailWhereTheReferenceFails() {
        // payload: at hashing (step 5), after schema, PII and the float check
        rejects(reference, envelope("TraceStarted", START + ",\"note\":\"a\\ud800\"}"),
                ErrorCode.DG_ERR_INVALID_ARGUMENT, "Payload is not JSON-serializable: unpaired UTF-16 surrogate at '$.note'");
        rejects(reference, envelope("TraceStarted", "{\"workflow\":\"\\udc00\"}"),
                ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Missing or invalid string for '$.title'");
        rejects(reference, envelope("TraceStarted", START + ",\"note\":\"\\ud800\",\"n\":1.5}"),
                ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Float found at '$.n': 1.5. Use string representation for decimals.");
        // idempotency key: step 1, where the reference cannot measure its UTF-8 length
        rejects(reference, envelope("TraceStarted", JsonParser.parse(START + "}"), "k\ud800", List.of()),
                ErrorCode.DG_ERR_INVALID_ARGUMENT, "Idempotency key cannot contain unpaired UTF-16 surrogates");
        // other envelope strings: after the payload hash
        rejects(reference, envelope("TraceStarted", JsonParser.parse(START + "}"), "k", List.of("ok", "\udfff")),
                ErrorCode.DG_ERR_INVALID_ARGUMENT, "Envelope field 'tags[1]' contains an unpaired UTF-16 surrogate");
        EventEnvelope badActor = new EventEnvelope("e", "t", 0, "TraceStarted", "x", new Source("p", "s", null),
                new Actor("agent", "\ud83d"), "k", JsonParser.parse(START + "}"), null, null, 1, List.of());
        rejects(reference, badActor, ErrorCode.DG_ERR_INVALID_ARGUMENT,
                "Envelope field 'actor.actor_id' contains an unpaired UTF-16 surrogate");
        // a proper pair is fine everywhere
        EventEnvelope pair = envelope("TraceStarted", JsonParser.parse(START + ",\"e\":\"\\ud83d\\ude00\"}"), "k\ud83d\ude00",
                List.of("\ud83d\ude00"));
        assertThat(reference.validate(pair).payloadHash()).startsWith("sha256:");
    }

    @Test
    void tooDeepIsRefusedAtJsonSafetyBeforeTheSchema() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        Json payload = Json.obj("deep", JsonParser.parse(deep)); // 1001 levels, only possible in code
        rejects(reference, envelope("TraceStarted", payload, "k", List.of()), ErrorCode.DG_ERR_INVALID_ARGUMENT,
                "Payload is not JSON-serializable: nesting deeper than 1000 levels");
        Json ok = JsonParser.parse("{\"outcome\":\"x\",\"d\":" + "[".repeat(999) + "]".repeat(999) + "}");
        assertThat(reference.validate(envelope("TraceFinished", ok, "k", List.of())).type()).isEqualTo(EventType.TRACE_FINISHED);
    }

    @Test
    void returnsTheResolvedTypeAndHash() {
        EventValidator.Validated v = reference.validate(envelope("TraceFinished", "{\"outcome\":\"success\"}"));
        assertThat(v.type()).isEqualTo(EventType.TRACE_FINISHED);
        assertThat(v.payloadHash()).isEqualTo("sha256:" + sha256Hex("{\"outcome\":\"success\"}"));
        assertThat(reference.types()).isEqualTo(EventTypeSet.REFERENCE);
    }

    // --- WorkflowReviewRequested (core spec 11, D9; platform spec 1.4) ---------------------------------

    static final String REVIEW = """
            {"assignee":{"account_id":null,"role":"admin"},"priority":"high","reason":"Review why.",
             "simulation":{"current_outcome":"failure"},"sla_hours":6,
             "subject":{"subject_id":"incident_triage","subject_type":"trace_review"},
             "template_id":"incident_triage","title":"Incident review","workflow_kind":"incident_review"}""";

    static JsonObject review() {
        return (JsonObject) JsonParser.parse(REVIEW);
    }

    @Test
    void workflowReviewRequestedIsAPlatformType() {
        EventEnvelope e = envelope("WorkflowReviewRequested", review(), "k", List.of());
        rejects(reference, e, ErrorCode.DG_ERR_SCHEMA_VIOLATION, "Unknown event_type 'WorkflowReviewRequested'");
        assertThat(platform.validate(e).type()).isEqualTo(EventType.WORKFLOW_REVIEW_REQUESTED);
        assertThat(EventTypeSet.REFERENCE.types()).hasSize(10).doesNotContain(EventType.WORKFLOW_REVIEW_REQUESTED);
        assertThat(EventTypeSet.PLATFORM.types()).hasSize(11).contains(EventType.WORKFLOW_REVIEW_REQUESTED);
    }

    @Test
    void workflowReviewRequestedFieldRules() {
        Map<Json, String> cases = new java.util.LinkedHashMap<>();
        for (String k : List.of("template_id", "workflow_kind", "title", "reason", "priority")) {
            cases.put(without(review(), k), "Missing or invalid string for '$." + k + "'");
            cases.put(review().with(k, Json.of(" \t")), "Missing or invalid string for '$." + k + "'");
            cases.put(review().with(k, Json.of(1)), "Missing or invalid string for '$." + k + "'");
        }
        for (String k : List.of("assignee", "simulation", "subject")) {
            cases.put(without(review(), k), "Missing or invalid object for '$." + k + "'");
            cases.put(review().with(k, Json.array(List.of())), "Missing or invalid object for '$." + k + "'");
        }
        cases.put(review().with("subject", Json.obj("subject_type", Json.of("trace_review"))),
                "Missing or invalid string for '$.subject.subject_id'");
        cases.put(review().with("subject", Json.obj("subject_type", Json.of(""), "subject_id", Json.of("x"))),
                "Missing or invalid string for '$.subject.subject_type'");
        for (String bad : List.of("0", "-1", "\"6\"", "6.0", "null", "true")) {
            cases.put(review().with("sla_hours", JsonParser.parse(bad)), "Missing or invalid positive integer for '$.sla_hours'");
        }
        cases.put(without(review(), "sla_hours"), "Missing or invalid positive integer for '$.sla_hours'");
        cases.put(review().with("priority", Json.of("critical")), "Invalid value 'critical' for '$.priority'");
        cases.put(review().with("priority", Json.of("High")), "Invalid value 'High' for '$.priority'");
        // the first failing rule wins: template_id before the priority domain
        cases.put(without(review(), "template_id").with("priority", Json.of("critical")), "Missing or invalid string for '$.template_id'");
        assertThat(cases).hasSize(33);
        cases.forEach((payload, message) ->
                rejects(platform, envelope("WorkflowReviewRequested", payload, "k", List.of()), ErrorCode.DG_ERR_SCHEMA_VIOLATION, message));
        for (String p : PayloadSchema.REVIEW_PRIORITIES) {
            assertThat(platform.validate(envelope("WorkflowReviewRequested", review().with("priority", Json.of(p)), "k", List.of()))
                    .type()).isEqualTo(EventType.WORKFLOW_REVIEW_REQUESTED);
        }
        // extra keys are allowed, sla_hours may be a big integer
        assertThat(platform.validate(envelope("WorkflowReviewRequested",
                review().with("extra", Json.of("x")).with("sla_hours", JsonParser.parse("100000000000000000000")), "k", List.of())))
                .isNotNull();
    }

    /** The 22 demo envelopes of platform spec 4.7.2 with the payload hashes of its table. */
    @Test
    void platformDemoEventsValidateWithTheirPublishedHashes() throws IOException {
        Map<String, String> hashes = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/platform-demo/payload-hashes.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.split(" ");
                hashes.put(parts[0], parts[1]);
            }
        }
        assertThat(hashes).hasSize(22);
        int count = 0;
        int unknownToReference = 0;
        try (EventFiles.Reader r = EventFiles.open(getClass().getResourceAsStream("/platform-demo/events.jsonl"))) {
            assertThat(r.format()).isEqualTo(EventFiles.Format.JSON_LINES);
            while (r.hasNext()) {
                EventFiles.Item item = r.next();
                assertThat(item).isInstanceOf(EventFiles.Parsed.class);
                EventEnvelope e = ((EventFiles.Parsed) item).envelope();
                assertThat(item.index()).isEqualTo(count++);
                assertThat(platform.validate(e).payloadHash()).as(e.eventId()).isEqualTo(hashes.get(e.eventId()));
                Throwable t = catchThrowable(() -> reference.validate(e));
                if (e.eventType().equals("WorkflowReviewRequested")) {
                    unknownToReference++;
                    assertThat(t).hasMessage("Unknown event_type 'WorkflowReviewRequested'");
                } else {
                    assertThat(t).isNull();
                }
                assertThat(EnvelopeJson.toJson(e).get("tags")).isEqualTo(Json.strings(List.of("phase10", "release-demo")));
            }
        }
        assertThat(count).isEqualTo(22);
        assertThat(unknownToReference).isEqualTo(1);
    }

    private static JsonObject without(JsonObject o, String key) {
        JsonObject.Builder b = JsonObject.builder();
        o.members().forEach((k, v) -> {
            if (!k.equals(key)) {
                b.put(k, v);
            }
        });
        return b.build();
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
