package org.decisiongraph.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.error.FloatFoundException;
import org.decisiongraph.core.event.DefaultKeys;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.CodePointOrder;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.core.validate.EventValidator;
import org.decisiongraph.core.validate.IdempotencyKeys;
import org.decisiongraph.core.validate.PayloadSchema;
import org.decisiongraph.core.validate.PiiGuard;
import org.junit.jupiter.api.Test;

/**
 * Runs every case of every section of {@code fixtures/vectors-core.json} (core spec 10). Each test counts
 * the cases it ran and checks the count against the file and against the count the specification
 * documents, so a section that is skipped, truncated or extended without a test fails the build.
 */
class CoreVectorsTest {
    /** Case counts per section, from the table in core spec 10. */
    static final Map<String, Integer> DOCUMENTED_COUNTS = Map.ofEntries(
            Map.entry("canonical_json", 27),
            Map.entry("canonical_json_rejections", 8),
            Map.entry("ensure_ascii_true_variant", 1),
            Map.entry("golden_event_payload_hashes", 40),
            Map.entry("golden_expected_digests", 5),
            Map.entry("pii_guard_strings", 26),
            Map.entry("pii_guard_keys_not_scanned", 1),
            Map.entry("pii_guard_forbidden_patterns_sorted", 25),
            Map.entry("pii_guard_envelope_fields", 8),
            Map.entry("idempotency_key", 14),
            Map.entry("schema_validation", 26),
            Map.entry("append_scenarios", 17),
            Map.entry("time_format", 4),
            Map.entry("storage_column_formats", 3),
            Map.entry("api_default_idempotency_keys", 3));

    private static final Set<ErrorCode> STATELESS_CODES = Set.of(
            ErrorCode.DG_ERR_INVALID_ARGUMENT, ErrorCode.DG_ERR_SCHEMA_VIOLATION, ErrorCode.DG_ERR_PII_POLICY_VIOLATION);

    private final EventValidator reference = new EventValidator(EventTypeSet.REFERENCE);

    @Test
    void everySectionOfTheFileHasATest() {
        Set<String> sections = new java.util.TreeSet<>(CoreFixtures.vectorsCore().keys());
        sections.removeAll(Set.of("_about", "conventions"));
        assertThat(sections).containsExactlyInAnyOrderElementsOf(DOCUMENTED_COUNTS.keySet());
    }

    /** The file's convention: a field named {@code <name>_escaped} holds its value with JSON escapes. */
    @Test
    void escapedFieldsAreDecoded() {
        JsonObject synthetic = (JsonObject) org.decisiongraph.core.json.JsonParser.parse(
                "{\"plain\":\"a\\\\u00e9\",\"value_escaped\":\"caf\\\\u00e9 \\\\ud83d\\\\ude00\\\\n\\\\u0000\"}");
        assertThat(CoreFixtures.text(synthetic, "plain")).isEqualTo("a\\u00e9"); // a plain field is taken literally
        assertThat(CoreFixtures.text(synthetic, "value")).isEqualTo("caf\u00e9 \ud83d\ude00\n\u0000");
        assertThat(CoreFixtures.text(synthetic, "missing")).isNull();
        // every *_escaped field of the file decodes (the current file has none: its strings are JSON-escaped already)
        List<String> escaped = new ArrayList<>();
        collectEscaped(CoreFixtures.vectorsCore(), escaped);
        assertThat(escaped).allSatisfy(v -> assertThat(CoreFixtures.unescape(v)).isNotNull());
    }

    private static void collectEscaped(Json v, List<String> out) {
        if (v instanceof JsonObject o) {
            o.members().forEach((k, m) -> {
                if (k.endsWith("_escaped") && m instanceof JsonString s) {
                    out.add(s.value());
                }
                collectEscaped(m, out);
            });
        } else if (v instanceof JsonArray a) {
            a.forEach(m -> collectEscaped(m, out));
        }
    }

    @Test
    void canonicalJson() {
        runCases("canonical_json", (c, softly) -> {
            Json input = c.get("input");
            String expected = CoreFixtures.text(c, "expected_canonical");
            String hash = CoreFixtures.text(c, "expected_payload_hash");
            softly.assertThat(JsonWriter.canonical(input)).as(id(c)).isEqualTo(expected);
            softly.assertThat(JsonWriter.canonicalBytes(input)).as(id(c)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
            softly.assertThat(Hashing.payloadHash(input)).as(id(c)).isEqualTo(hash);
            softly.assertThat(Hashing.sha256(expected)).as(id(c) + " hash of the canonical text").isEqualTo(hash);
        });
    }

    @Test
    void canonicalJsonRejections() {
        runCases("canonical_json_rejections", (c, softly) -> {
            Json input = c.get("input");
            Throwable thrown = catchThrowable(() -> Hashing.payloadHash(input));
            softly.assertThat(thrown).as(id(c)).isInstanceOf(FloatFoundException.class);
            if (thrown instanceof FloatFoundException f) {
                softly.assertThat(f.code().name()).as(id(c)).isEqualTo(c.getString("expected_error_code"));
                softly.assertThat(f.path()).as(id(c)).isEqualTo(c.getString("expected_path"));
                softly.assertThat(f.message()).as(id(c)).isEqualTo(CoreFixtures.text(c, "reference_message"));
            }
            Throwable viaWriter = catchThrowable(() -> JsonWriter.canonical(input));
            softly.assertThat(viaWriter).as(id(c) + " via JsonWriter").isInstanceOf(FloatFoundException.class)
                    .hasMessage(CoreFixtures.text(c, "reference_message"));
        });
    }

    @Test
    void ensureAsciiVariant() {
        JsonObject c = (JsonObject) CoreFixtures.vectorsCore().get("ensure_ascii_true_variant");
        runCases("ensure_ascii_true_variant", List.of(c), (v, softly) -> {
            Json input = v.get("input");
            softly.assertThat(JsonWriter.ascii(input)).isEqualTo(CoreFixtures.text(v, "expected_compact_sorted_ascii"));
            softly.assertThat(JsonWriter.canonical(input))
                    .isEqualTo(CoreFixtures.text(v, "expected_payload_canonical_for_comparison"));
        });
    }

    @Test
    void goldenEventPayloadHashes() {
        Map<String, JsonObject> bundleById = new LinkedHashMap<>();
        Map<String, String> scenarioById = new HashMap<>();
        for (Json s : CoreFixtures.bundle().getArray("scenarios")) {
            JsonObject scenario = (JsonObject) s;
            for (Json e : scenario.getArray("events")) {
                JsonObject event = (JsonObject) e;
                bundleById.put(event.getString("event_id"), event);
                scenarioById.put(event.getString("event_id"), scenario.getString("scenario"));
            }
        }
        assertThat(bundleById).hasSize(40);
        List<String> seen = new ArrayList<>();
        runCases("golden_event_payload_hashes", (c, softly) -> {
            String eventId = c.getString("event_id");
            seen.add(eventId);
            JsonObject event = bundleById.get(eventId);
            softly.assertThat(event).as(eventId + " in the bundle").isNotNull();
            if (event == null) {
                return;
            }
            softly.assertThat(scenarioById.get(eventId)).as(eventId).isEqualTo(c.getString("scenario"));
            softly.assertThat(event.getString("event_type")).as(eventId).isEqualTo(c.getString("event_type"));
            softly.assertThat(event.getString("idempotency_key")).as(eventId).isEqualTo(c.getString("idempotency_key"));
            softly.assertThat(event.get("trace_seq")).as(eventId).isEqualTo(c.get("trace_seq"));
            String canonical = CoreFixtures.text(c, "canonical_payload");
            String hash = c.getString("payload_hash");
            softly.assertThat(JsonWriter.canonical(event.get("payload"))).as(eventId).isEqualTo(canonical);
            softly.assertThat(Hashing.payloadHash(event.get("payload"))).as(eventId).isEqualTo(hash);
            softly.assertThat(Hashing.sha256(canonical)).as(eventId).isEqualTo(hash);
            // The whole stateless pipeline accepts every golden event and computes the same hash.
            EventValidator.Validated v = reference.validate(EnvelopeJson.fromJson(event));
            softly.assertThat(v.payloadHash()).as(eventId + " via EventValidator").isEqualTo(hash);
            softly.assertThat(v.type().wireName()).as(eventId).isEqualTo(c.getString("event_type"));
        });
        assertThat(seen).as("every bundle event has exactly one vector").containsExactlyInAnyOrderElementsOf(bundleById.keySet());
    }

    @Test
    void goldenExpectedDigestsHaveTheirShape() {
        JsonObject section = (JsonObject) CoreFixtures.vectorsCore().get("golden_expected_digests");
        Map<String, JsonObject> bundleDigests = new HashMap<>();
        for (Json s : CoreFixtures.bundle().getArray("scenarios")) {
            bundleDigests.put(((JsonObject) s).getString("scenario"), ((JsonObject) s).getObject("expected_digests"));
        }
        List<JsonObject> scenarios = new ArrayList<>();
        List<String> names = new ArrayList<>();
        section.members().forEach((name, value) -> {
            if (value instanceof JsonObject digests) {
                names.add(name);
                scenarios.add(digests.with("_scenario", Json.of(name)));
            }
        });
        assertThat(names).containsExactlyInAnyOrder("dealdesk", "release_rejected", "renewal", "support", "sync_failure");
        runCases("golden_expected_digests", scenarios, (c, softly) -> {
            String name = c.getString("_scenario");
            softly.assertThat(c.keys()).as(name).containsExactlyInAnyOrder(
                    "_scenario", "context_graph", "full_projection", "precedent_index", "trace_summary");
            for (String k : List.of("context_graph", "full_projection", "precedent_index", "trace_summary")) {
                softly.assertThat(c.getString(k)).as(name + "." + k).matches("sha256:[0-9a-f]{64}");
            }
            String full = Hashing.sha256(c.getString("context_graph") + ":" + c.getString("trace_summary") + ":"
                    + c.getString("precedent_index"));
            softly.assertThat(c.getString("full_projection")).as(name + " full_projection").isEqualTo(full);
            JsonObject inBundle = bundleDigests.get(name);
            softly.assertThat(inBundle).as(name + " in the bundle").isNotNull();
            if (inBundle != null) {
                softly.assertThat(c.members().entrySet().stream().filter(e -> !e.getKey().equals("_scenario")).toList())
                        .as(name + " equals the bundle's expected_digests")
                        .containsExactlyInAnyOrderElementsOf(inBundle.members().entrySet());
            }
        });
    }

    @Test
    void piiGuardStrings() {
        runCases("pii_guard_strings", (c, softly) -> {
            String value = CoreFixtures.text(c, "value");
            Throwable thrown = catchThrowable(() -> PiiGuard.check(Json.obj("value", Json.of(value)), "$"));
            if (c.getString("expect").equals("accept")) {
                softly.assertThat(thrown).as(value).isNull();
                softly.assertThat(PiiGuard.firstHit(value)).as(value).isNull();
            } else {
                String pattern = c.getString("reported_pattern");
                expectError(softly, value, thrown, c.getString("error_code"),
                        "Forbidden content '" + pattern + "' found at '" + c.getString("path") + "'");
                softly.assertThat(PiiGuard.firstHit(value)).as(value).isEqualTo(pattern);
            }
        });
    }

    @Test
    void piiGuardKeysAreNotScanned() {
        JsonObject c = (JsonObject) CoreFixtures.vectorsCore().get("pii_guard_keys_not_scanned");
        runCases("pii_guard_keys_not_scanned", List.of(c), (v, softly) -> {
            softly.assertThat(v.getString("expect")).isEqualTo("accept");
            softly.assertThat(catchThrowable(() -> PiiGuard.check(v.get("input"), "$"))).isNull();
            // and as a payload inside a whole envelope
            EventEnvelope e = envelope("TraceFinished", Json.obj("outcome", Json.of("success"), "extra", v.get("input")));
            softly.assertThat(catchThrowable(() -> reference.validate(e))).isNull();
        });
    }

    @Test
    void piiGuardPatternsAreTheImplementedOnesInCodePointOrder() {
        List<String> patterns = CoreFixtures.cases("pii_guard_forbidden_patterns_sorted").stream()
                .map(p -> ((JsonString) p).value()).toList();
        runCases("pii_guard_forbidden_patterns_sorted", patterns, (p, softly) ->
                softly.assertThat(PiiGuard.firstHit(p)).as(p).isNotNull());
        assertThat(patterns).isEqualTo(PiiGuard.PATTERNS);
        assertThat(patterns).isSortedAccordingTo(CodePointOrder.INSTANCE).doesNotHaveDuplicates();
    }

    @Test
    void piiGuardEnvelopeFields() {
        runCases("pii_guard_envelope_fields", (c, softly) -> {
            String field = c.getString("field");
            Throwable thrown = catchThrowable(() -> reference.validate(EnvelopeJson.fromJson(c.get("envelope"))));
            if (c.getString("expect").equals("accept")) {
                softly.assertThat(thrown).as(field).isNull();
            } else {
                expectError(softly, field, thrown, c.getString("error_code"), CoreFixtures.text(c, "reference_message"));
            }
        });
    }

    @Test
    void idempotencyKeys() {
        runCases("idempotency_key", (c, softly) -> {
            String key = CoreFixtures.text(c, "key");
            String desc = c.getString("desc");
            softly.assertThat((long) key.getBytes(StandardCharsets.UTF_8).length).as(desc + " utf8_bytes")
                    .isEqualTo(((org.decisiongraph.core.json.JsonInt) c.get("utf8_bytes")).longValue());
            Throwable thrown = catchThrowable(() -> IdempotencyKeys.validate(key));
            if (c.getString("expect").equals("accept")) {
                softly.assertThat(thrown).as(desc).isNull();
            } else {
                expectError(softly, desc, thrown, c.getString("error_code"), CoreFixtures.text(c, "reference_message"));
            }
        });
    }

    @Test
    void schemaValidation() {
        runCases("schema_validation", (c, softly) -> {
            String type = c.getString("event_type");
            Json payload = c.get("payload");
            String label = type + " " + c.getString("note");
            Throwable thrown = catchThrowable(() -> PayloadSchema.validate(type, payload, EventTypeSet.REFERENCE));
            if (c.getString("expect").equals("accept")) {
                softly.assertThat(thrown).as(label).isNull();
                softly.assertThat(PayloadSchema.validate(type, payload, EventTypeSet.REFERENCE)).as(label)
                        .isEqualTo(EventType.fromWireName(type));
            } else {
                expectError(softly, label, thrown, c.getString("error_code"), CoreFixtures.text(c, "reference_message"));
            }
            // The platform set differs only for its extra type, which it knows (and then checks its own fields).
            Throwable platform = catchThrowable(() -> PayloadSchema.validate(type, payload, EventTypeSet.PLATFORM));
            if (type.equals("WorkflowReviewRequested")) {
                softly.assertThat(platform).as(label + " (platform)").isInstanceOf(DgException.class)
                        .hasMessage("Missing or invalid string for '$.template_id'");
            } else {
                softly.assertThat(String.valueOf(platform)).as(label + " (platform)").isEqualTo(String.valueOf(thrown));
            }
        });
    }

    @Test
    void appendScenarioEnvelopesParseAndPassTheStatelessSteps() {
        int[] steps = {0};
        runCases("append_scenarios", (scenario, softly) -> {
            String name = scenario.getString("name");
            JsonArray list = scenario.getArray("steps");
            softly.assertThat(list).as(name).isNotEmpty();
            for (int i = 0; i < list.size(); i++) {
                steps[0]++;
                JsonObject step = (JsonObject) list.get(i);
                String label = name + " step " + i;
                JsonObject input = step.getObject("envelope");
                EventEnvelope envelope = EnvelopeJson.fromJson(input);
                softly.assertThat(EnvelopeJson.toJson(envelope)).as(label + " round trip").isEqualTo(input);
                JsonObject expect = step.getObject("expect");
                boolean ok = expect.get("ok") == Json.of(true);
                ErrorCode code = ok ? null : ErrorCode.valueOf(expect.getString("error_code"));
                Throwable thrown = catchThrowable(() -> reference.validate(envelope));
                if (code != null && STATELESS_CODES.contains(code)) {
                    expectError(softly, label, thrown, code.name(), CoreFixtures.text(expect, "reference_message"));
                } else {
                    // accepted, or rejected later by a stateful step of the store
                    softly.assertThat(thrown).as(label).isNull();
                }
            }
        });
        assertThat(steps[0]).as("steps in all append scenarios").isEqualTo(38);
    }

    private static final Pattern DATETIME = Pattern.compile(
            "(naive )?datetime\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)(?:, (?:(UTC)|tz=([+-]\\d\\d:\\d\\d)))?\\)");

    @Test
    void timeFormat() {
        runCases("time_format", (c, softly) -> {
            String input = c.getString("input");
            Matcher m = DATETIME.matcher(input);
            softly.assertThat(m.matches()).as(input).isTrue();
            if (!m.matches()) {
                return;
            }
            LocalDateTime local = LocalDateTime.of(i(m, 2), i(m, 3), i(m, 4), i(m, 5), i(m, 6), i(m, 7), i(m, 8) * 1000);
            String actual;
            if (m.group(1) != null) {
                actual = Timestamps.toRfc3339(local);
            } else if (m.group(9) != null) {
                actual = Timestamps.toRfc3339(local.toInstant(ZoneOffset.UTC));
            } else {
                actual = Timestamps.toRfc3339(OffsetDateTime.of(local, ZoneOffset.of(m.group(10))));
            }
            softly.assertThat(actual).as(input).isEqualTo(c.getString("expected"));
            softly.assertThat(Timestamps.parse(actual)).as(input + " parses back").isEqualTo(
                    m.group(10) == null ? local.toInstant(ZoneOffset.UTC) : OffsetDateTime.of(local, ZoneOffset.of(m.group(10))).toInstant());
        });
    }

    private static int i(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    @Test
    void storageColumnFormats() {
        runCases("storage_column_formats", (c, softly) -> softly.assertThat(JsonWriter.pythonStorage(c.get("input")))
                .as(c.getString("column")).isEqualTo(CoreFixtures.text(c, "expected")));
    }

    private static final Pattern ARG = Pattern.compile("(\\w+)=(?:'([^']*)'|(\\d+))");

    @Test
    void apiDefaultIdempotencyKeys() {
        runCases("api_default_idempotency_keys", (c, softly) -> {
            String call = c.getString("call");
            Map<String, String> args = new HashMap<>();
            Matcher m = ARG.matcher(call);
            while (m.find()) {
                args.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
            }
            String traceSeq = args.get("trace_seq");
            String key;
            if (call.startsWith("start_trace(")) {
                key = DefaultKeys.startTrace(args.get("trace_id"));
            } else if (call.startsWith("finish_trace(")) {
                key = DefaultKeys.finishTrace(args.get("trace_id"));
            } else {
                softly.assertThat(args).as(call).containsKeys("event_type", "trace_id", "trace_seq");
                key = DefaultKeys.append(args.get("event_type"), args.get("trace_id"), Long.parseLong(traceSeq));
            }
            softly.assertThat(key).as(call).isEqualTo(c.getString("idempotency_key"));
        });
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static String id(JsonObject c) {
        return String.valueOf(c.getString("id"));
    }

    private static void expectError(SoftAssertions softly, String label, Throwable thrown, String code, String message) {
        softly.assertThat(thrown).as(label).isInstanceOf(DgException.class);
        if (thrown instanceof DgException e) {
            softly.assertThat(e.code().name()).as(label + " code").isEqualTo(code);
            softly.assertThat(e.message()).as(label + " message").isEqualTo(message);
        }
    }

    static EventEnvelope envelope(String type, Json payload) {
        return new EventEnvelope("e-1", "t-1", 0, type, "2026-01-01T00:00:00Z",
                new org.decisiongraph.core.event.Source("p-1", "sys", null),
                new org.decisiongraph.core.event.Actor("agent", "a-1"), "k-1", payload, null, null, 1, List.of());
    }

    interface Case<T> {
        void check(T c, SoftAssertions softly);
    }

    private static void runCases(String section, Case<JsonObject> check) {
        runCases(section, CoreFixtures.cases(section).stream().map(JsonObject.class::cast).toList(), check);
    }

    /** Runs every case with soft assertions and fails unless all ran and their number is the documented one. */
    private static <T> void runCases(String section, List<T> cases, Case<T> check) {
        SoftAssertions softly = new SoftAssertions();
        int ran = 0;
        for (T c : cases) {
            check.check(c, softly);
            ran++;
        }
        softly.assertAll();
        assertThat(ran).as(section + ": cases run").isEqualTo(cases.size()).isEqualTo(DOCUMENTED_COUNTS.get(section));
    }
}
