package org.decisiongraph.core.event;

import java.util.Objects;

/** The producer of an event; {@code producerId} scopes idempotency keys. */
public record Source(String producerId, String system, String subsystem) {
    public Source {
        Objects.requireNonNull(producerId, "producerId");
        Objects.requireNonNull(system, "system");
    }
}
