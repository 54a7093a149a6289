package org.decisiongraph.server.console.pages;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Section;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.store.log.EventQuery;

/**
 * {@code /stream}: the live event stream (platform spec 4.3 #stream) — the tenant's newest {@value #LIMIT} events
 * ({@code log_seq DESC}, read by log_seq range from the index), re-rendered when an {@code event_appended} frame
 * arrives. No polling.
 */
public final class StreamPage implements ConsolePages {
    static final int LIMIT = 24;

    /** The page's model. */
    public record View(String tenant, Section<List<TracePage.EventView>> events, long lastLogSeq) {
        public String traceHref(String traceId) {
            return Urls.of("/trace", "tenant", tenant, "trace_id", traceId);
        }
    }



    @Override
    public void register(Console console) {
        console.nav("Live stream", "/stream", Requirement.READER);
        console.page("/stream", Requirement.READER, r -> r.page("stream.jte", "Live event stream", view(r)));
        console.fragment("/console/fragments/stream", Requirement.READER, r -> r.fragment("stream_body.jte", view(r)));
    }

    static View view(PageRequest r) {
        long[] last = {0};
        Section<List<TracePage.EventView>> events = Section.of(() -> {
            last[0] = r.services().log().lastLogSeq(r.tenant());
            long since = Math.max(0, last[0] - LIMIT);
            List<StoredEvent> rows = r.services().log().listEvents(r.tenant(), new EventQuery(since, last[0], null, null, LIMIT));
            List<TracePage.EventView> out = new ArrayList<>();
            for (int i = rows.size() - 1; i >= 0; i--) {
                out.add(TracePage.eventView(rows.get(i)));
            }
            return out;
        }).emptyIf(List::isEmpty, "No events yet for tenant " + r.tenant() + ". New events appear here as they are appended.");
        return new View(r.tenant(), events, last[0]);
    }
}
