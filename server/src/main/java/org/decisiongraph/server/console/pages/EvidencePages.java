package org.decisiongraph.server.console.pages;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.server.api.EvidenceApi;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Urls;
import org.decisiongraph.store.audit.Checkpoint;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.workflow.EvidenceExport;
import org.decisiongraph.workflow.WorkflowError;

/**
 * Evidence bundle downloads of the console (docs/OPERATIONS.md 3): {@code /trace/evidence?trace_id=} (trace explorer)
 * and {@code /console/workflow/evidence?id=} (review item), the same {@code dg.evidence.v1} bundle as
 * {@code GET /api/v1/admin/evidence/...} under the newest stored signed checkpoint covering it, as a JSON file
 * ({@code Content-Disposition: attachment}). Admin role and {@code workflow_export}, as the API; every download,
 * accepted or refused, writes the {@code evidence.export} audit row (actor kind {@code user}, {@code via: console}).
 * When no checkpoint covers the selection the page says so (409) instead of downloading.
 */
public final class EvidencePages implements ConsolePages {
    static final String TRACE = "/trace/evidence";
    static final String ITEM = WorkflowPages.ITEM + "/evidence";
    static final Requirement REQUIREMENT = Requirement.admin(Permissions.WORKFLOW_EXPORT);

    /** What the trace page offers: the download link, or (href null) why there is none yet. */
    public record Offer(String href, String note) {
    }

    @Override
    public void register(Console console) {
        console.page(TRACE, REQUIREMENT, r -> download(r, "trace", r.query("trace_id"), "/trace"));
        console.page(ITEM, REQUIREMENT, r -> download(r, "workflow", r.query("id"), WorkflowPages.ITEM));
    }

    /** The evidence offer of a trace for this user: null when the user may not export or the trace has no events. */
    static Offer traceOffer(PageRequest r, String traceId) {
        if (!r.can(REQUIREMENT)) {
            return null;
        }
        try {
            EvidenceExport export = new EvidenceExport(r.services().db(), r.services().clock());
            List<AuditChain.ChainedEvent> events = export.events(r.tenant(), new EvidenceExport.Trace(traceId));
            if (events.isEmpty()) {
                return null;
            }
            Optional<Checkpoint> cp = export.covering(r.tenant(), events, null);
            if (cp.isEmpty()) {
                return new Offer(null, "Not available yet: "
                        + DgErrors.noSignedCheckpoint(r.tenant(), EvidenceExport.lastLogSeq(events)).message());
            }
            return new Offer(Urls.of(TRACE, "tenant", r.tenant(), "trace_id", traceId),
                    "Signed checkpoint at log_seq=" + cp.get().logSeq() + " by " + cp.get().keyId()
                            + "; verify offline with dg verify-export FILE --public-key KEY.pub");
        } catch (DgException e) {
            return new Offer(null, "Not available: " + e.message());
        }
    }

    /** The link of a review item's bundle. */
    static String itemHref(String tenant, String workflowId) {
        return Urls.of(ITEM, "tenant", tenant, "id", workflowId);
    }

    private static String download(PageRequest r, String targetType, String id, String back) {
        JsonObject via = JsonObject.builder().put("via", "console").build();
        String backHref = "trace".equals(targetType) ? Urls.of(back, "tenant", r.tenant(), "trace_id", id)
                : Urls.of(back, "tenant", r.tenant(), "id", id);
        try {
            if (id == null || id.isBlank()) {
                throw DgErrors.invalidArgument("trace".equals(targetType) ? "trace_id is required" : "id is required");
            }
            EvidenceExport.Selection sel = "trace".equals(targetType) ? new EvidenceExport.Trace(id) : new EvidenceExport.Review(id);
            JsonObject bundle = new EvidenceExport(r.services().db(), r.services().clock()).storedBundle(r.tenant(), sel);
            r.audit(EvidenceApi.AUDIT_ACTION, "accepted", targetType, id, null, null, EvidenceApi.details(bundle).with("via",
                    new org.decisiongraph.core.json.JsonString("console")));
            r.context().header("Content-Disposition", "attachment; filename=\"" + WorkflowPages.fileName(id) + "-evidence.json\"");
            r.context().contentType("application/json");
            r.context().result((JsonWriter.pretty(bundle) + "\n").getBytes(StandardCharsets.UTF_8));
            return null;
        } catch (DgException | WorkflowError e) {
            int status = e instanceof DgException d ? d.code().httpStatus() : ((WorkflowError) e).status();
            String code = e instanceof DgException d ? d.code().apiCode() : ((WorkflowError) e).code();
            String message = e instanceof DgException d ? d.message() : ((WorkflowError) e).message();
            r.audit(EvidenceApi.AUDIT_ACTION, "rejected", targetType, id, message, code, via);
            WorkflowPages.status(r, status);
            String title = status == 409 ? "No signed checkpoint yet" : status == 404 ? "Not found" : "Cannot export";
            return r.page("wf/message.jte", title, new WorkflowPages.Message(title, message, backHref));
        }
    }
}
