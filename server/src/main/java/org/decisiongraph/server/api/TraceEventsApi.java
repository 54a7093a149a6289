package org.decisiongraph.server.api;

import java.util.List;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.event.StoredEvent;

/** {@code GET /api/v1/traces/{trace_id}/events} (N3): paged, log-backed, no staleness check. */
public final class TraceEventsApi implements RouteGroup {

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/v1/traces/{trace_id}/events", Access.READER, "Events of one trace by trace_seq",
                "events").query("since_trace_seq", "limit", "cursor").returns("EventPage"), this::events);
    }

    private Reply events(Call call) {
        Services s = call.services();
        String traceId = call.pathParam("trace_id");
        Long since = call.queryLong("since_trace_seq");
        if (since != null && since < 0) {
            throw ApiError.of(DgErrors.negativeTraceSeq(since));
        }
        int limit = Params.eventLimit(call);
        String fingerprint = Cursors.fingerprint(call.tenant() + "\n" + traceId, call.queryMap());
        Long position = Cursors.decode(call.query("cursor"), "trace_events", fingerprint);
        Long from = since;
        if (position != null) {
            from = from == null ? position : Math.max(from, position);
        }
        List<StoredEvent> rows = s.log().traceEvents(call.tenant(), traceId, from, limit);
        if (rows.isEmpty() && s.log().nextTraceSeq(call.tenant(), traceId) == 0) {
            throw ApiError.of(DgErrors.traceNotFound(traceId));
        }
        boolean more = rows.size() == limit
                && !s.log().traceEvents(call.tenant(), traceId, rows.getLast().traceSeq(), 1).isEmpty();
        s.metrics().readBatch(rows.size());
        return EventsApi.page(rows, more ? Cursors.encode("trace_events", fingerprint, rows.getLast().traceSeq()) : null);
    }
}
