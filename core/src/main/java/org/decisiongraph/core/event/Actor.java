package org.decisiongraph.core.event;

import java.util.Objects;

/** Who acted: {@code actor_type} is normally one of agent, person, role, system (not enforced, D1). */
public record Actor(String actorType, String actorId) {
    public Actor {
        Objects.requireNonNull(actorType, "actorType");
        Objects.requireNonNull(actorId, "actorId");
    }
}
