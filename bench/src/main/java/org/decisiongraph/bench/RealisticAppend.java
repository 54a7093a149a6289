package org.decisiongraph.bench;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.projection.workload.TraceGenerator;
import org.decisiongraph.store.log.EventLog;

/** Fills a default-tenant log with the seeded realistic workload (seed 42) through the full pipeline. */
final class RealisticAppend {
    static final int BATCH = 1000;

    private RealisticAppend() {
    }

    /** Appends up to {@code events} generated events in batches of {@value #BATCH}. */
    static void append(EventLog log, int events) {
        TraceGenerator generator = new TraceGenerator(TraceGenerator.Config.realistic(42, events / 7 + 2000));
        List<EventEnvelope> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < events && generator.hasNext(); i++) {
            batch.add(generator.next());
            if (batch.size() == BATCH) {
                log.appendBatch(null, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            log.appendBatch(null, batch);
        }
    }
}
