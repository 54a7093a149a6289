package org.decisiongraph.core.event;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which event types an append pipeline accepts (decision D9): the reference set of 10 (parity suites,
 * byte-compatible CLI commands) or the platform set of 11 ({@code dg serve}, {@code dg demo}).
 */
public enum EventTypeSet {
    REFERENCE(EnumSet.range(EventType.TRACE_STARTED, EventType.TRACE_FINISHED)),
    PLATFORM(EnumSet.allOf(EventType.class));

    private final Set<EventType> types;

    EventTypeSet(Set<EventType> types) {
        this.types = types;
    }

    /** The accepted type with this wire name, or null when the name is unknown to this set. */
    public EventType resolve(String wireName) {
        EventType t = EventType.fromWireName(wireName);
        return t != null && types.contains(t) ? t : null;
    }

    public Set<EventType> types() {
        return types;
    }
}
