package org.decisiongraph.projection.runtime;

/**
 * Tracing of worker catch-ups, without a tracing library in this module (the server implements it with
 * OpenTelemetry). When a worker is signalled, {@link #capture} takes the caller's context (the append that
 * committed the events); the catch-up that serves the signal runs later on a worker thread as a span under that
 * context. {@link #NONE} records nothing and costs nothing.
 */
public interface SyncTracer {
    SyncTracer NONE = new SyncTracer() {
        @Override
        public Object capture() {
            return null;
        }

        @Override
        public Span start(String tenant, String projection, Object parent) {
            return Span.NONE;
        }
    };

    /** The current context of the signalling thread (null when there is nothing to continue). */
    Object capture();

    /** Starts the span of one catch-up of (tenant, projection) under {@code parent} (from {@link #capture}, may be null). */
    Span start(String tenant, String projection, Object parent);

    /**
     * {@link #start(String, String, Object)} for a catch-up that began at {@code startedAt} and learnt its parent
     * only later (a group pass takes the signals' contexts before each of its reads).
     */
    default Span start(String tenant, String projection, Object parent, java.time.Instant startedAt) {
        return start(tenant, projection, parent);
    }

    /** A started catch-up span. */
    interface Span {
        Span NONE = (processedEvents, cursor, errorCode) -> { };

        /** Ends the span with the events the catch-up committed, the cursor it reached and its error code (or null). */
        void end(long processedEvents, long cursor, String errorCode);
    }
}
