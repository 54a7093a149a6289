package org.decisiongraph.projection.runtime;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.projection.CatchUpResult;
import org.decisiongraph.projection.ProjectionFailedException;
import org.decisiongraph.projection.Projector;
import org.decisiongraph.store.readmodel.ProjectionName;

/** What a {@link ProjectionWorker} catches up: a digested projection of the tenant, or an {@link ExternalProjection}. */
interface WorkerTarget {
    String name();

    /** The durable cursor. */
    long cursor();

    /** One bounded catch-up step (one or more committed batches up to {@code until}). */
    Step catchUp(int batchSize, long until);

    /** The event a failed step stopped at, or null when none is found. */
    StoredEvent failedEvent(RuntimeException error);

    /** Digested projections ask for digest checkpoints and auto-resolve failures behind their cursor. */
    boolean digested();

    /** A step's cursor afterwards, the events it committed, and the log events still after the cursor. */
    record Step(long lastLogSeq, long processed, long pending) {
    }

    static WorkerTarget digested(TenantContext tenant, ProjectionName projection) {
        Projector projector = new Projector(tenant.projections().store(), tenant.projections().feed());
        return new WorkerTarget() {
            @Override
            public String name() {
                return projection.wireName();
            }

            @Override
            public long cursor() {
                return tenant.projections().store().cursor(projection);
            }

            @Override
            public Step catchUp(int batchSize, long until) {
                CatchUpResult r = projector.catchUp(projection, batchSize, until);
                return new Step(r.lastLogSeq(), r.processedEvents(), r.pendingEvents());
            }

            @Override
            public StoredEvent failedEvent(RuntimeException error) {
                if (error instanceof ProjectionFailedException pf && pf.event() != null) {
                    return pf.event();
                }
                var next = tenant.projections().feed().read(cursor(), Long.MAX_VALUE, 1);
                return next.isEmpty() ? null : next.getFirst();
            }

            @Override
            public boolean digested() {
                return true;
            }
        };
    }

    static WorkerTarget external(TenantContext tenant, ExternalProjection projection) {
        String t = tenant.tenant();
        return new WorkerTarget() {
            @Override
            public String name() {
                return projection.name();
            }

            @Override
            public long cursor() {
                return projection.cursor(t);
            }

            @Override
            public Step catchUp(int batchSize, long until) {
                long before = projection.cursor(t);
                long after = projection.catchUpBatch(t, batchSize);
                long last = tenant.projections().eventLog().lastLogSeq(t);
                return new Step(after, Math.max(after - before, 0), Math.max(last - after, 0));
            }

            @Override
            public StoredEvent failedEvent(RuntimeException error) {
                return projection.nextEvent(t).orElse(null);
            }

            @Override
            public boolean digested() {
                return false;
            }
        };
    }
}
