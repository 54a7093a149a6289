package org.decisiongraph.core.validate;

import java.util.Objects;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventType;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonWriter;

/**
 * The stateless part of the append pipeline (core spec 5.1 steps 1-5), in the exact order:
 * idempotency key, JSON safety, payload schema, PII guard, payload hash (which rejects floats).
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
        // Step 2, JSON safety: a parsed tree is always serialisable except for unpaired surrogates,
        // which the reference fails on at hashing with an uncategorised error (mapped to INVALID_ARGUMENT).
        String lone = JsonWriter.findLoneSurrogatePath(e.payload());
        if (lone != null) {
            throw DgErrors.notSerializable("unpaired UTF-16 surrogate at '" + lone + "'");
        }
        EventType type = PayloadSchema.validate(e.eventType(), e.payload(), types);
        PiiGuard.check(e);
        String hash = Hashing.payloadHash(e.payload());
        return new Validated(e, type, hash);
    }
}
