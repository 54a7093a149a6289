package org.decisiongraph.server.console.pages;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.JsonRead;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Section;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * {@code /trace?trace_id=}: the trace explorer (platform spec 4.3 #trace) — summary, investigator handoff, policy /
 * exception / approval / action cards, and the event timeline with actors, hashes and payloads (the first
 * {@value #MAX_EVENTS} events; {@code since_trace_seq} pages on). The timeline re-renders on {@code event_appended}.
 * Admins with {@code workflow_export} get the trace's evidence bundle download ({@link EvidencePages}).
 */
public final class TracePage implements ConsolePages {
    static final int MAX_EVENTS = 200;

    /** One timeline entry. */
    public record EventView(long logSeq, long traceSeq, String eventType, String eventId, String occurredAt, String recordedAt,
                            String actor, String source, String payloadHash, String payload, String summary, String traceId) {
    }

    /** The review cards derived from the events (platform spec 4.2 policy_review). */
    public record Review(String policy, String policyDecision, String policyExplanation, String exception, String exceptionId,
                         String approval, String approver, String rationale, String action, String actionId, String outcome) {
    }

    /** The page's model. */
    public record View(String tenant, String traceId, Section<TraceSummaryRow> summary, Section<List<EventView>> events,
                       Review review, String handoff, String moreHref, EvidencePages.Offer evidence) {
        View withEvidence(EvidencePages.Offer offer) {
            return new View(tenant, traceId, summary, events, review, handoff, moreHref, offer);
        }

        public String graphHref() {
            return Urls.of("/graph", "tenant", tenant, "trace_id", traceId);
        }

        public String precedentsHref() {
            return Urls.of("/precedents", "tenant", tenant, "trace_id", traceId);
        }
    }

    @Override
    public void register(Console console) {
        console.page("/trace", Requirement.READER, r -> {
            View v = view(r);
            return r.page("trace.jte", v.traceId() == null ? "Trace explorer" : "Trace " + v.traceId(), v);
        });
        console.fragment("/console/fragments/trace", Requirement.READER, r -> r.fragment("trace_body.jte", view(r)));
    }

    /** The trace page: {@link #viewOf} plus the evidence bundle offer (admin + workflow_export only). */
    static View view(PageRequest r) {
        View v = viewOf(r, r.query("trace_id"));
        return v.traceId() == null ? v : v.withEvidence(EvidencePages.traceOffer(r, v.traceId()));
    }

    static View viewOf(PageRequest r, String traceId) {
        if (traceId == null) {
            return new View(r.tenant(), null, Section.empty("Select a trace in the trace index."), Section.empty("No trace selected."),
                    null, null, null, null);
        }
        if (r.console().runtime() == null) {
            return new View(r.tenant(), traceId, Section.unavailable("The projection runtime is not running on this server."),
                    Section.unavailable("The projection runtime is not running on this server."), null, null, null, null);
        }
        Section<TraceSummaryRow> summary = Section.of(() -> r.console().runtime().queries(r.tenant()).traceSummary(traceId));
        long since = r.queryInt("since_trace_seq", 0, 0, Integer.MAX_VALUE);
        Section<List<StoredEvent>> raw = Section.of(() -> r.services().log().traceEvents(r.tenant(), traceId, since == 0 ? null : since,
                MAX_EVENTS + 1));
        List<EventView> views = new ArrayList<>();
        Review review = null;
        String more = null;
        if (raw.data() != null) {
            List<StoredEvent> events = raw.data();
            if (events.size() > MAX_EVENTS) {
                events = events.subList(0, MAX_EVENTS);
                more = Urls.of("/trace", "tenant", r.tenant(), "trace_id", traceId, "since_trace_seq",
                        Long.toString(events.getLast().envelope().traceSeq()));
            }
            for (StoredEvent e : events) {
                views.add(eventView(e));
            }
            review = review(events);
        }
        Section<List<EventView>> evs = raw.data() == null ? new Section<>(raw.state(), null)
                : new Section<>(raw.state(), views).emptyIf(List::isEmpty, "No events for trace " + traceId + ".");
        String handoff = summary.data() == null ? null : handoff(summary.data(), review);
        return new View(r.tenant(), traceId, summary, evs, review, handoff, more, null);
    }

    static EventView eventView(StoredEvent e) {
        var env = e.envelope();
        String actor = env.actor() == null ? "-" : env.actor().actorType() + ":" + env.actor().actorId();
        String source = env.source() == null ? "-" : env.source().system() + " / " + env.source().producerId();
        Json payload = env.payload();
        String summary = null;
        if (payload instanceof JsonObject o) {
            summary = JsonRead.str(o, "decision");
            if (summary == null) {
                summary = JsonRead.str(o, "action_id");
            }
            if (summary == null) {
                summary = JsonRead.str(o, "exception_id");
            }
            if (summary == null) {
                summary = JsonRead.str(o, "outcome");
            }
        }
        return new EventView(e.logSeq(), env.traceSeq(), env.eventType(), env.eventId(), env.occurredAt(), e.recordedAt(), actor, source,
                e.payloadHash(), payload == null ? "null" : JsonWriter.prettyRaw(payload), summary, env.traceId());
    }

    static Review review(List<StoredEvent> events) {
        String policy = null;
        String decision = null;
        String explanation = null;
        String exception = "not_required";
        String exceptionId = null;
        String approval = "pending";
        String approver = null;
        String rationale = null;
        String action = "pending";
        String actionId = null;
        String outcome = null;
        for (StoredEvent e : events) {
            if (!(e.envelope().payload() instanceof JsonObject p)) {
                continue;
            }
            switch (e.envelope().eventType()) {
                case "PolicyEvaluated" -> {
                    if (p.get("policy") instanceof JsonObject pol) {
                        policy = JsonRead.str(pol, "policy_id") + "@" + JsonRead.str(pol, "policy_version");
                    }
                    decision = JsonRead.str(p, "decision");
                    explanation = p.get("explanation") instanceof JsonObject x ? JsonRead.str(x, "summary") : null;
                }
                case "ExceptionRequested" -> {
                    exception = "requested";
                    exceptionId = JsonRead.str(p, "exception_id");
                }
                case "ApprovalRecorded" -> {
                    approval = JsonRead.str(p, "decision");
                    approver = p.get("approver") instanceof JsonObject a ? JsonRead.str(a, "actor_type") + ":" + JsonRead.str(a, "actor_id") : null;
                    rationale = JsonRead.str(p, "reason");
                    if ("requested".equals(exception)) {
                        exception = "reviewed";
                    }
                }
                case "ActionProposed" -> {
                    if (!"committed".equals(action)) {
                        action = "proposed";
                    }
                    actionId = JsonRead.str(p, "action_id");
                }
                case "ActionCommitted" -> {
                    action = "committed";
                    actionId = JsonRead.str(p, "action_id");
                }
                case "TraceFinished" -> outcome = JsonRead.str(p, "outcome");
                default -> {
                }
            }
        }
        return new Review(policy, decision, explanation, exception, exceptionId, approval, approver, rationale, action, actionId, outcome);
    }

    static String handoff(TraceSummaryRow s, Review review) {
        StringBuilder b = new StringBuilder();
        b.append("trace=").append(s.traceId()).append('\n');
        b.append("workflow=").append(s.workflow()).append('\n');
        b.append("entity=").append(s.primaryEntitySystem()).append(':').append(s.primaryEntityType()).append(':')
                .append(s.primaryEntityId()).append('\n');
        b.append("outcome=").append(s.outcome() == null ? "" : s.outcome()).append('\n');
        b.append("exception_id=").append(review == null || review.exceptionId() == null ? "" : review.exceptionId()).append('\n');
        b.append("approval=").append(review == null ? "" : review.approval()).append('\n');
        b.append("policy=").append(review == null || review.policy() == null ? "" : review.policy());
        return b.toString();
    }
}
