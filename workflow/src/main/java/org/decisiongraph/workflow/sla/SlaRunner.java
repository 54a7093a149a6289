package org.decisiongraph.workflow.sla;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.decisiongraph.workflow.WorkflowProjection;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the workflow import and the SLA sweep every {@code sweep_interval_seconds} on one daemon thread:
 * catch up every known tenant's workflow projection, then {@link SlaSweep#tick} at the clock's instant.
 * A failing round is logged and the next one runs as scheduled. Safe to run on several nodes at once.
 */
public final class SlaRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlaRunner.class);

    private final WorkflowStore store;
    private final WorkflowProjection projection;
    private final SlaSweep sweep;
    private final Clock clock;
    private final ScheduledExecutorService executor;

    public SlaRunner(WorkflowStore store, WorkflowProjection projection, SlaSweep sweep, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.projection = Objects.requireNonNull(projection, "projection");
        this.sweep = Objects.requireNonNull(sweep, "sweep");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dg-workflow-sla");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the schedule: the first round at once (so events written while the service was down are imported at
     * boot, without waiting for a new write: platform spec 7.7), then one every {@code intervalSeconds}.
     */
    public SlaRunner start(long intervalSeconds) {
        executor.scheduleWithFixedDelay(this::round, 0, intervalSeconds, TimeUnit.SECONDS);
        return this;
    }

    /** One round now: import, then sweep. Returns the sweep's result. */
    public SlaSweep.TickResult round() {
        try {
            for (String tenant : store.tenants()) {
                projection.catchUp(tenant);
            }
            return sweep.tick(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("workflow_sla_round_failed error={}", e.toString());
            return new SlaSweep.TickResult(0, 0, 0);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
