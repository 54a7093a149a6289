package org.decisiongraph.projection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;

import org.decisiongraph.core.event.StoredEvent;

/**
 * An {@link EventFeed} over events held in memory (tests, isolated replays). {@link #append} enforces strictly
 * increasing log_seq and unique {@code (trace_id, trace_seq)}. Thread-safe.
 */
public final class ListEventFeed implements EventFeed {
    private final ArrayList<StoredEvent> events = new ArrayList<>();
    private final HashMap<String, List<StoredEvent>> byTrace = new HashMap<>();

    public static ListEventFeed of(Collection<StoredEvent> events) {
        ListEventFeed feed = new ListEventFeed();
        events.forEach(feed::append);
        return feed;
    }

    public synchronized void append(StoredEvent event) {
        if (!events.isEmpty() && event.logSeq() <= events.getLast().logSeq()) {
            throw new IllegalArgumentException("log_seq " + event.logSeq() + " does not follow " + events.getLast().logSeq());
        }
        List<StoredEvent> trace = byTrace.computeIfAbsent(event.traceId(), k -> new ArrayList<>());
        for (StoredEvent e : trace) {
            if (e.traceSeq() == event.traceSeq()) {
                throw new IllegalArgumentException("trace_seq " + event.traceSeq() + " already exists for trace " + event.traceId());
            }
        }
        events.add(event);
        trace.add(event);
        trace.sort(Comparator.comparingLong(StoredEvent::traceSeq));
    }

    /** Every event, in log_seq order. */
    public synchronized List<StoredEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public synchronized List<StoredEvent> read(long afterLogSeq, long untilLogSeq, int limit) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).logSeq() <= afterLogSeq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        List<StoredEvent> out = new ArrayList<>(Math.min(limit, Math.max(0, events.size() - lo)));
        for (int i = lo; i < events.size() && out.size() < limit; i++) {
            StoredEvent e = events.get(i);
            if (e.logSeq() > untilLogSeq) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized long lastLogSeq() {
        return events.isEmpty() ? 0 : events.getLast().logSeq();
    }

    @Override
    public synchronized List<StoredEvent> eventsOf(String traceId) {
        return List.copyOf(byTrace.getOrDefault(traceId, List.of()));
    }
}
