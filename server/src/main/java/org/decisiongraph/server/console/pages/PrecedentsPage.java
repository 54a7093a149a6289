package org.decisiongraph.server.console.pages;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.projection.query.PrecedentHit;
import org.decisiongraph.projection.query.PrecedentQuery;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Section;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.store.readmodel.TraceSummaryRow;

/**
 * {@code /precedents}: the precedent browser (platform spec 4.3 #precedents) — finished traces like the focus trace
 * (its entity, outcome and latest policy, the focus trace excluded) or like the filters given, with the outcome delta
 * and policy lineage; {@code /precedents/compare?a=&b=} puts two traces side by side and marks what differs.
 */
public final class PrecedentsPage implements ConsolePages {
    static final int LIMIT = 12;

    /** The search inputs. */
    public record Focus(String traceId, String policyId, String policyVersion, String entityType, String entityId, String outcome) {
    }

    /** One precedent card. */
    public record Card(PrecedentHit hit, String delta, String lineage, String traceHref, String compareHref) {
    }

    /** The browser's model. */
    public record View(String tenant, Focus focus, Section<List<Card>> cards) {
    }

    /** One compared attribute. */
    public record Diff(String label, String a, String b) {
        public boolean same() {
            return java.util.Objects.equals(a, b);
        }
    }

    /** The comparison's model. */
    public record Compare(String tenant, String a, String b, Section<List<Diff>> diffs, Section<TracePage.View> left,
                          Section<TracePage.View> right) {
    }

    @Override
    public void register(Console console) {
        console.nav("Precedents", "/precedents", Requirement.READER);
        console.page("/precedents", Requirement.READER, r -> r.page("precedents.jte", "Precedents", view(r)));
        console.page("/precedents/compare", Requirement.READER, r -> r.page("compare.jte", "Compare traces", compare(r)));
    }

    static View view(PageRequest r) {
        String traceId = r.query("trace_id");
        if (r.console().runtime() == null) {
            return new View(r.tenant(), new Focus(traceId, null, null, null, null, null),
                    Section.unavailable("The projection runtime is not running on this server."));
        }
        var queries = r.console().runtime().queries(r.tenant());
        String policyId = r.query("policy_id");
        String policyVersion = r.query("policy_version");
        String entityType = r.query("entity_type");
        String entityId = r.query("entity_id");
        String outcome = r.query("outcome");
        String currentOutcome = null;
        if (traceId != null && policyId == null && entityType == null && outcome == null) {
            Section<TraceSummaryRow> s = Section.of(() -> queries.traceSummary(traceId));
            if (s.data() == null) {
                return new View(r.tenant(), new Focus(traceId, null, null, null, null, null), new Section<>(s.state(), null));
            }
            entityType = s.data().primaryEntityType();
            entityId = s.data().primaryEntityId();
            outcome = s.data().outcome();
            currentOutcome = outcome;
            List<StoredEvent> events = r.services().log().traceEvents(r.tenant(), traceId, null, TracePage.MAX_EVENTS);
            TracePage.Review review = TracePage.review(events);
            if (review.policy() != null && review.policy().contains("@")) {
                policyId = review.policy().substring(0, review.policy().indexOf('@'));
                policyVersion = review.policy().substring(review.policy().indexOf('@') + 1);
            }
        } else if (traceId != null) {
            Section<TraceSummaryRow> s = Section.of(() -> queries.traceSummary(traceId));
            currentOutcome = s.data() == null ? null : s.data().outcome();
        }
        if (traceId == null && policyId == null && entityType == null && outcome == null) {
            return new View(r.tenant(), new Focus(null, null, null, null, null, null),
                    Section.empty("Open a trace and choose Precedents, or search by policy, entity or outcome."));
        }
        Focus focus = new Focus(traceId, policyId, policyVersion, entityType, entityId, outcome);
        String current = currentOutcome;
        Section<List<Card>> cards = Section.of(() -> {
            List<Card> out = new ArrayList<>();
            PrecedentQuery q = new PrecedentQuery(focus.policyId(), focus.policyId() == null ? null : focus.policyVersion(),
                    focus.entityType(), focus.entityType() == null ? null : focus.entityId(), focus.outcome(), LIMIT + 1);
            for (PrecedentHit h : queries.findPrecedents(q)) {
                if (h.traceId().equals(focus.traceId()) || out.size() == LIMIT) {
                    continue;
                }
                String delta = current == null || h.outcome() == null ? "insufficient signal"
                        : current.equals(h.outcome()) ? "same outcome" : h.outcome() + " vs " + current;
                String lineage = h.policyId() == null ? "-" : h.policyId() + "@" + h.policyVersion();
                out.add(new Card(h, delta, lineage, Urls.of("/trace", "tenant", r.tenant(), "trace_id", h.traceId()),
                        focus.traceId() == null ? null : Urls.of("/precedents/compare", "tenant", r.tenant(), "a", focus.traceId(), "b", h.traceId())));
            }
            return out;
        }).emptyIf(List::isEmpty, "No matching precedents.");
        return new View(r.tenant(), focus, cards);
    }

    static Compare compare(PageRequest r) {
        String a = r.query("a");
        String b = r.query("b");
        if (a == null || b == null) {
            return new Compare(r.tenant(), a, b, Section.empty("Choose two traces to compare (a and b)."), Section.empty(""), Section.empty(""));
        }
        Section<TracePage.View> left = Section.of(() -> TracePage.viewOf(r, a));
        Section<TracePage.View> right = Section.of(() -> TracePage.viewOf(r, b));
        Section<List<Diff>> diffs;
        if (left.data() == null || right.data() == null || left.data().summary().data() == null || right.data().summary().data() == null) {
            diffs = Section.unavailable("Both traces must exist and the projections must be current to compare them.");
            if (left.data() != null && !left.data().summary().state().ready()) {
                diffs = new Section<>(left.data().summary().state(), null);
            } else if (right.data() != null && !right.data().summary().state().ready()) {
                diffs = new Section<>(right.data().summary().state(), null);
            }
        } else {
            TraceSummaryRow x = left.data().summary().data();
            TraceSummaryRow y = right.data().summary().data();
            TracePage.Review rx = left.data().review();
            TracePage.Review ry = right.data().review();
            diffs = new Section<>(org.decisiongraph.server.console.PanelState.READY, List.of(
                    new Diff("workflow", x.workflow(), y.workflow()),
                    new Diff("outcome", x.outcome(), y.outcome()),
                    new Diff("entity", x.primaryEntityType() + ":" + x.primaryEntityId(), y.primaryEntityType() + ":" + y.primaryEntityId()),
                    new Diff("policy", rx == null ? null : rx.policy(), ry == null ? null : ry.policy()),
                    new Diff("policy decision", rx == null ? null : rx.policyDecision(), ry == null ? null : ry.policyDecision()),
                    new Diff("exception", rx == null ? null : rx.exception(), ry == null ? null : ry.exception()),
                    new Diff("approval", rx == null ? null : rx.approval(), ry == null ? null : ry.approval()),
                    new Diff("action", rx == null ? null : rx.action(), ry == null ? null : ry.action()),
                    new Diff("events", Long.toString(x.eventCount()), Long.toString(y.eventCount()))));
        }
        return new Compare(r.tenant(), a, b, diffs, left, right);
    }
}
