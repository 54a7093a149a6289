package org.decisiongraph.core.event;

import java.util.UUID;

/** Source of event and trace ids; tests pass a deterministic one. */
@FunctionalInterface
public interface IdGenerator {
    String newId();

    /** Lowercase hyphenated random UUID4, like the reference's {@code generate_event_id()}. */
    IdGenerator RANDOM_UUID = () -> UUID.randomUUID().toString();
}
