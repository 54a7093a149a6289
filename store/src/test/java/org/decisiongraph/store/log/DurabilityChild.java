package org.decisiongraph.store.log;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;

/**
 * Child process of the durability test: appends events as fast as it can (single appends and small
 * batches, traces of 6 events) and prints {@code ack <event_id> <log_seq>} for each acknowledged event,
 * flushed, until it is killed. Bounded: stops by itself after 60 s or 200,000 events.
 *
 * <p>Usage: {@code DurabilityChild sqlite <path> <tenant>} or {@code DurabilityChild postgres <url> <tenant>}.
 */
public final class DurabilityChild {
    private DurabilityChild() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Database db = args[0].equals("sqlite") ? Database.sqlite(Path.of(args[1]))
                : Database.postgres(args[1], null, null, StoreConfig.DEFAULTS);
        EventLog log = EventLog.open(db, EventTypeSet.REFERENCE, Clock.systemUTC());
        String tenant = args[2];
        long deadline = System.nanoTime() + 60_000_000_000L;
        int events = 0;
        for (int trace = 0; events < 200_000 && System.nanoTime() < deadline; trace++) {
            String t = "T" + trace;
            List<EventEnvelope> traceEvents = new ArrayList<>();
            traceEvents.add(Envelopes.started(t, t + "-0"));
            for (int seq = 1; seq <= 4; seq++) {
                traceEvents.add(Envelopes.observed(t, seq, t + "-" + seq));
            }
            traceEvents.add(Envelopes.finished(t, 5, t + "-5"));
            List<AppendOutcome> outcomes = new ArrayList<>();
            if (trace % 2 == 0) {
                for (EventEnvelope e : traceEvents) {
                    outcomes.add(log.append(tenant, e));
                }
            } else {
                outcomes.addAll(log.appendBatch(tenant, traceEvents.subList(0, 3)));
                outcomes.addAll(log.appendBatch(tenant, traceEvents.subList(3, 6)));
            }
            for (AppendOutcome o : outcomes) {
                if (!(o instanceof AppendOutcome.Appended a)) {
                    throw new IllegalStateException("unexpected outcome " + o);
                }
                out.println("ack " + a.event().eventId() + " " + a.event().logSeq());
            }
            out.flush();
            events += outcomes.size();
        }
        db.close();
    }
}
