package org.decisiongraph.server.console.pages;

import java.util.List;

import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Section;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.TraceIndex;

/**
 * {@code /traces}: the trace index (platform spec 4.3) — filters for start time, workflow, status or outcome, event
 * type, primary entity and policy; newest activity first; keyset cursor {@code after=<log_seq>~<trace_id>}. Each row
 * links to the trace explorer.
 */
public final class TracesPage implements ConsolePages {
    static final int PAGE_SIZE = 25;
    static final int WINDOW = 1000;

    /** The form values as given (blank → null). */
    public record Form(String from, String to, String workflow, String status, String eventType, String entityType,
                       String entityId, String policyId) {
        TraceIndex.Filter filter() {
            return new TraceIndex.Filter(workflow, status, eventType, entityType, entityId, policyId, from, to);
        }
    }

    /** The page's model. */
    public record View(String tenant, Form form, Section<TraceIndex.Page> page, String nextHref, boolean firstPage) {
        public String traceHref(String traceId) {
            return Urls.of("/trace", "tenant", tenant, "trace_id", traceId);
        }
    }

    @Override
    public void register(Console console) {
        console.nav("Traces", "/traces", Requirement.READER);
        console.page("/traces", Requirement.READER, r -> r.page("traces.jte", "Traces", view(r)));
    }

    static View view(PageRequest r) {
        Form form = new Form(r.query("from"), r.query("to"), r.query("workflow"), r.query("status"), r.query("event_type"),
                r.query("entity_type"), r.query("entity_id"), r.query("policy_id"));
        Long afterSeq = null;
        String afterId = null;
        String after = r.query("after");
        if (after != null && after.contains("~")) {
            try {
                afterSeq = Long.parseLong(after.substring(0, after.indexOf('~')));
                afterId = after.substring(after.indexOf('~') + 1);
            } catch (NumberFormatException e) {
                afterSeq = null;
            }
        }
        Long seq = afterSeq;
        String id = afterId;
        Section<TraceIndex.Page> page;
        if (r.console().runtime() == null) {
            page = Section.unavailable("The projection runtime is not running on this server.");
        } else {
            page = Section.of(() -> {
                r.console().runtime().queries(r.tenant()).requireFresh(ProjectionName.TRACE_SUMMARY);
                return new TraceIndex(r.services().db()).page(r.tenant(), form.filter(), seq, id, PAGE_SIZE, WINDOW);
            }).emptyIf(p -> p.rows().isEmpty() && p.nextLogSeq() == null, form.filter().equals(TraceIndex.Filter.NONE) && seq == null
                    ? "No traces yet for tenant " + r.tenant() + "."
                    : "No trace matches the filters.");
        }
        String next = null;
        if (page.data() != null && page.data().nextLogSeq() != null) {
            next = Urls.of("/traces", "tenant", r.tenant(), "from", form.from(), "to", form.to(), "workflow", form.workflow(),
                    "status", form.status(), "event_type", form.eventType(), "entity_type", form.entityType(),
                    "entity_id", form.entityId(), "policy_id", form.policyId(),
                    "after", page.data().nextLogSeq() + "~" + page.data().nextTraceId());
        }
        return new View(r.tenant(), form, page, next, seq == null);
    }

    /** The statuses offered by the filter (outcomes are free text too). */
    public static List<String> statuses() {
        return List.of("running", "finished", "success", "approved", "rejected", "failed", "denied");
    }
}
