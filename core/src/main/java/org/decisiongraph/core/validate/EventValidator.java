package org.decisiongraph.core.validate;

import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonDepth;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;

/**
 * The stateless part of the append pipeline (core spec 5.1 steps 1-5), in the exact order:
 * idempotency key, JSON safety, payload schema, PII guard, payload hash (which rejects floats).
 *
 * <p>Where the reference fails with an uncategorised error, this validator reports
 * {@code DG_ERR_INVALID_ARGUMENT} at the step where the reference would fail: nesting deeper than
 * {@link JsonParser#MAX_DEPTH} at JSON safety (step 2, Python's {@code RecursionError}); an unpaired
 * UTF-16 surrogate in the payload at hashing (step 5, after the float check, Python's
 * {@code UnicodeEncodeError}); one in another envelope string after step 5 (such text cannot be
 * stored as UTF-8).
 */
public final class EventValidator {
    private final EventTypeSet types;

    public EventValidator(EventTypeSet types) {
        this.types = Objects.requireNonNull(types, "types");
    }

    public EventTypeSet types() {
        return types;
    }

    /** An envelope that passed steps 1-5, with its resolved type and payload hash. */
    public record Validated(EventEnvelope envelope, EventType type, String payloadHash) {
    }

    public Validated validate(EventEnvelope e) {
        IdempotencyKeys.validate(e.idempotencyKey());
        // Step 2, JSON safety: a JSON tree always serialises; only its depth can make the walks below fail.
        if (JsonDepth.exceeds(e.payload(), JsonParser.MAX_DEPTH)) {
            throw DgErrors.nestingTooDeep(JsonParser.MAX_DEPTH);
        }
        EventType type = PayloadSchema.validate(e.eventType(), e.payload(), types);
        PiiGuard.check(e);
        String hash = Hashing.payloadHash(e.payload());
        rejectLoneSurrogates(e);
        return new Validated(e, type, hash);
    }

    private static void rejectLoneSurrogates(EventEnvelope e) {
        check(e.eventId(), "event_id");
        check(e.traceId(), "trace_id");
        check(e.eventType(), "event_type");
        check(e.occurredAt(), "occurred_at");
        check(e.source().producerId(), "source.producer_id");
        check(e.source().system(), "source.system");
        check(e.source().subsystem(), "source.subsystem");
        check(e.actor().actorType(), "actor.actor_type");
        check(e.actor().actorId(), "actor.actor_id");
        check(e.correlationId(), "correlation_id");
        check(e.causationEventId(), "causation_event_id");
        List<String> tags = e.tags();
        for (int i = 0; i < tags.size(); i++) {
            check(tags.get(i), "tags[" + i + "]");
        }
    }

    private static void check(String value, String field) {
        if (value != null && JsonWriter.hasLoneSurrogate(value)) {
            throw DgErrors.envelopeLoneSurrogate(field);
        }
    }
}
