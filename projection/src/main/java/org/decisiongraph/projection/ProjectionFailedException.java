package org.decisiongraph.projection;

import java.util.Set;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.store.readmodel.ProjectionName;

/**
 * A projection batch failed and was rolled back. Code and message are those of the underlying error (e.g.
 * CONFLICT for a payload hash mismatch); the details say where processing stopped: the projections whose
 * cursors were behind the failing event, the lowest of their committed cursors, the events they had processed
 * before the failure, and the failing event (null when the failure was not tied to one event).
 */
public final class ProjectionFailedException extends DgException {
    private static final long serialVersionUID = 1L;

    private final transient Set<ProjectionName> projections;
    private final String tenantId;
    private final long lastLogSeq;
    private final long processedEvents;
    private final transient StoredEvent event;

    public ProjectionFailedException(DgException cause, String tenantId, Set<ProjectionName> projections, long lastLogSeq,
                                     long processedEvents, StoredEvent event) {
        super(cause.code(), cause.message(), cause);
        this.tenantId = tenantId;
        this.projections = Set.copyOf(projections);
        this.lastLogSeq = lastLogSeq;
        this.processedEvents = processedEvents;
        this.event = event;
    }

    /** The original error. */
    public DgException error() {
        return (DgException) getCause();
    }

    public Set<ProjectionName> projections() {
        return projections;
    }

    public String tenantId() {
        return tenantId;
    }

    public long lastLogSeq() {
        return lastLogSeq;
    }

    public long processedEvents() {
        return processedEvents;
    }

    public StoredEvent event() {
        return event;
    }
}
