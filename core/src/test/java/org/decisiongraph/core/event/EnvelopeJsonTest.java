package org.decisiongraph.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeJsonTest {
    static final String FULL = """
            {"event_id":"e-1","trace_id":"t-1","trace_seq":3,"event_type":"TraceFinished","occurred_at":"2026-01-01T00:00:00Z",
             "source":{"producer_id":"p-1","system":"sys","subsystem":"sub"},"actor":{"actor_type":"agent","actor_id":"a-1"},
             "idempotency_key":"k-1","payload":{"outcome":"success"},"correlation_id":"c-1","causation_event_id":"e-0",
             "schema_version":2,"tags":["x","y"]}""";

    static JsonObject full() {
        return (JsonObject) JsonParser.parse(FULL);
    }

    @Test
    void readsEveryField() {
        EventEnvelope e = EnvelopeJson.fromJson(full());
        assertThat(e).isEqualTo(new EventEnvelope("e-1", "t-1", 3, "TraceFinished", "2026-01-01T00:00:00Z",
                new Source("p-1", "sys", "sub"), new Actor("agent", "a-1"), "k-1", Json.obj("outcome", Json.of("success")),
                "c-1", "e-0", 2, List.of("x", "y")));
        assertThat(EnvelopeJson.toJson(e)).isEqualTo(full());
    }

    @Test
    void fillsTheReferenceDefaults() {
        JsonObject minimal = (JsonObject) JsonParser.parse("""
                {"event_id":"e","trace_id":"t","trace_seq":0,"event_type":"X","occurred_at":"",
                 "source":{"producer_id":"p","system":"s"},"actor":{"actor_type":"agent","actor_id":"a"},
                 "idempotency_key":"k","payload":{}}""");
        EventEnvelope e = EnvelopeJson.fromJson(minimal);
        assertThat(e.source().subsystem()).isNull();
        assertThat(e.correlationId()).isNull();
        assertThat(e.causationEventId()).isNull();
        assertThat(e.schemaVersion()).isEqualTo(1);
        assertThat(e.tags()).isEmpty();
        JsonObject nulls = minimal.with("correlation_id", JsonNull.INSTANCE).with("causation_event_id", JsonNull.INSTANCE)
                .with("schema_version", JsonNull.INSTANCE).with("tags", JsonNull.INSTANCE)
                .with("source", Json.obj("producer_id", Json.of("p"), "system", Json.of("s"), "subsystem", JsonNull.INSTANCE));
        assertThat(EnvelopeJson.fromJson(nulls)).isEqualTo(e);
        JsonObject written = EnvelopeJson.toJson(e);
        assertThat(written.keys()).hasSize(13);
        assertThat(written.get("schema_version")).isEqualTo(Json.of(1));
        assertThat(written.get("tags")).isEqualTo(Json.array(List.of()));
    }

    @Test
    void theLegacyNonObjectPayloadIsKeptForTheValidatorToReport() {
        EventEnvelope e = EnvelopeJson.fromJson(full().with("payload", Json.array(List.of())));
        assertThat(e.payload()).isEqualTo(Json.array(List.of()));
        assertThat(EnvelopeJson.fromJson(full().with("payload", JsonNull.INSTANCE)).payload()).isEqualTo(JsonNull.INSTANCE);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "event_id|5|Invalid envelope field 'event_id': expected a string",
            "event_id|null|Missing required envelope field 'event_id'",
            "trace_id|[]|Invalid envelope field 'trace_id': expected a string",
            "trace_seq|\"0\"|Invalid envelope field 'trace_seq': expected an integer",
            "trace_seq|1.0|Invalid envelope field 'trace_seq': expected an integer",
            "trace_seq|true|Invalid envelope field 'trace_seq': expected an integer",
            "trace_seq|null|Missing required envelope field 'trace_seq'",
            "trace_seq|99999999999999999999|Invalid envelope field 'trace_seq': expected a 64-bit integer",
            "event_type|{}|Invalid envelope field 'event_type': expected a string",
            "occurred_at|0|Invalid envelope field 'occurred_at': expected a string",
            "source|\"p\"|Invalid envelope field 'source': expected an object",
            "source|null|Missing required envelope field 'source'",
            "source|{\"system\":\"s\"}|Missing required envelope field 'source.producer_id'",
            "source|{\"producer_id\":\"p\",\"system\":1}|Invalid envelope field 'source.system': expected a string",
            "source|{\"producer_id\":\"p\",\"system\":\"s\",\"subsystem\":[]}|Invalid envelope field 'source.subsystem': expected a string or null",
            "actor|[]|Invalid envelope field 'actor': expected an object",
            "actor|{\"actor_type\":null,\"actor_id\":\"a\"}|Missing required envelope field 'actor.actor_type'",
            "actor|{\"actor_type\":\"agent\",\"actor_id\":7}|Invalid envelope field 'actor.actor_id': expected a string",
            "idempotency_key|false|Invalid envelope field 'idempotency_key': expected a string",
            "correlation_id|1|Invalid envelope field 'correlation_id': expected a string or null",
            "causation_event_id|{}|Invalid envelope field 'causation_event_id': expected a string or null",
            "schema_version|\"1\"|Invalid envelope field 'schema_version': expected an integer",
            "schema_version|1.5|Invalid envelope field 'schema_version': expected an integer",
            "tags|\"a\"|Invalid envelope field 'tags': expected a list of strings",
            "tags|[\"a\",1]|Invalid envelope field 'tags': expected a list of strings",
    })
    void wrongTypesAreInvalidArgumentsNamingTheField(String field, String json, String message) {
        JsonObject bad = full().with(field, JsonParser.parse(json));
        assertThatThrownBy(() -> EnvelopeJson.fromJson(bad)).isInstanceOf(DgException.class).hasMessage(message)
                .extracting(e -> ((DgException) e).code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
    }

    @Test
    void missingFieldsAndNonObjects() {
        JsonObject.Builder b = JsonObject.builder();
        full().members().forEach((k, v) -> {
            if (!k.equals("payload")) {
                b.put(k, v);
            }
        });
        assertThatThrownBy(() -> EnvelopeJson.fromJson(b.build())).hasMessage("Missing required envelope field 'payload'");
        assertThatThrownBy(() -> EnvelopeJson.fromJson(Json.array(List.of()))).isInstanceOf(DgException.class)
                .hasMessage("Event envelope must be a JSON object");
        // the first wrong field in envelope order is the one reported
        JsonObject twoBad = full().with("actor", Json.of(1)).with("trace_id", Json.of(2));
        assertThatThrownBy(() -> EnvelopeJson.fromJson(twoBad)).hasMessage("Invalid envelope field 'trace_id': expected a string");
    }

    @Test
    void storedEventJsonHasEveryApiField() {
        EventEnvelope e = EnvelopeJson.fromJson(full());
        JsonObject stored = EnvelopeJson.toJson(new StoredEvent("default", 7, "2026-01-01T00:00:01.000000Z", "sha256:x", e));
        assertThat(stored.keys()).containsExactlyInAnyOrder("event_id", "trace_id", "trace_seq", "log_seq", "event_type",
                "occurred_at", "recorded_at", "actor", "source", "idempotency_key", "correlation_id", "causation_event_id",
                "schema_version", "tags", "payload", "payload_hash", "tenant_id");
        assertThat(stored.get("log_seq")).isEqualTo(Json.of(7));
        assertThat(stored.getString("tenant_id")).isEqualTo("default");
    }
}
