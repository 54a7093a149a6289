package org.decisiongraph.store.log;

import org.decisiongraph.core.error.DgErrors;

/**
 * Filters of {@link EventLog#listEvents}: {@code sinceLogSeq} exclusive, {@code untilLogSeq} inclusive,
 * optional event type and trace id, and a limit of 1..10000 (null = no limit, for internal callers).
 * Invalid values fail with {@code DG_ERR_INVALID_ARGUMENT} and the specification's messages.
 */
public record EventQuery(Long sinceLogSeq, Long untilLogSeq, String eventType, String traceId, Integer limit) {

    public static final EventQuery ALL = new EventQuery(null, null, null, null, null);

    public EventQuery {
        if (sinceLogSeq != null && sinceLogSeq < 0) {
            throw DgErrors.negativeLogSeq(sinceLogSeq);
        }
        if (untilLogSeq != null && untilLogSeq < 0) {
            throw DgErrors.negativeLogSeq(untilLogSeq);
        }
        if (sinceLogSeq != null && untilLogSeq != null && sinceLogSeq > untilLogSeq) {
            throw DgErrors.sinceAfterUntil(sinceLogSeq, untilLogSeq);
        }
        if (limit != null) {
            EventLog.checkLimit(limit);
        }
    }

    public static EventQuery since(long sinceLogSeq) {
        return new EventQuery(sinceLogSeq, null, null, null, null);
    }

    public EventQuery withSince(Long value) {
        return new EventQuery(value, untilLogSeq, eventType, traceId, limit);
    }

    public EventQuery withUntil(Long value) {
        return new EventQuery(sinceLogSeq, value, eventType, traceId, limit);
    }

    public EventQuery withEventType(String value) {
        return new EventQuery(sinceLogSeq, untilLogSeq, value, traceId, limit);
    }

    public EventQuery withTraceId(String value) {
        return new EventQuery(sinceLogSeq, untilLogSeq, eventType, value, limit);
    }

    public EventQuery withLimit(Integer value) {
        return new EventQuery(sinceLogSeq, untilLogSeq, eventType, traceId, value);
    }
}
