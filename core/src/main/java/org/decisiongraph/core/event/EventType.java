package org.decisiongraph.core.event;

import java.util.HashMap;
import java.util.Map;

/** The event vocabulary: the 10 reference types plus the platform's {@code WorkflowReviewRequested}. */
public enum EventType {
    TRACE_STARTED("TraceStarted"),
    INPUT_OBSERVED("InputObserved"),
    ENTITY_OBSERVED("EntityObserved"),
    POLICY_EVALUATED("PolicyEvaluated"),
    EXCEPTION_REQUESTED("ExceptionRequested"),
    APPROVAL_RECORDED("ApprovalRecorded"),
    PRECEDENT_CITED("PrecedentCited"),
    ACTION_PROPOSED("ActionProposed"),
    ACTION_COMMITTED("ActionCommitted"),
    TRACE_FINISHED("TraceFinished"),
    /** Platform extension (decision D9): a human review of a trace was requested. */
    WORKFLOW_REVIEW_REQUESTED("WorkflowReviewRequested");

    private static final Map<String, EventType> BY_NAME = new HashMap<>();

    static {
        for (EventType t : values()) {
            BY_NAME.put(t.wireName, t);
        }
    }

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The exact, case-sensitive string used on the wire and in storage. */
    public String wireName() {
        return wireName;
    }

    /** The type with this exact wire name, or null. */
    public static EventType fromWireName(String name) {
        return BY_NAME.get(name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
