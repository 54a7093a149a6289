package org.decisiongraph.server.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.server.auth.Principal;
import org.decisiongraph.store.workflow.Attachment;
import org.decisiongraph.workflow.ActionResult;
import org.decisiongraph.workflow.Attachments;
import org.decisiongraph.workflow.Caller;
import org.decisiongraph.workflow.Studio;
import org.decisiongraph.workflow.WorkflowError;
import org.decisiongraph.workflow.Workflows;
import org.decisiongraph.workflow.inbox.Inbox;

/**
 * The human review routes (platform spec 1.11 routes 11-17, 3.5-3.9): inbox, inbox counts, detail, actions
 * (including {@code claim} and {@code export}), admin export, studio templates, studio recommendation and
 * start review. Reads never write; actions and exports write audit rows (accepted and refused alike).
 */
public final class WorkflowApi implements RouteGroup {
    private final Workflows workflows;

    public WorkflowApi(Workflows workflows) {
        this.workflows = Objects.requireNonNull(workflows, "workflows");
    }

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/v1/workflows", Access.READER, "Review inbox (SLA order, filters, cursor)", "workflows")
                .query("status", "assigned_account_id", "assigned_role", "priority", "trace_id", "workflow_name", "policy_id",
                        "only_open", "only_overdue", "limit", "cursor"), this::inbox);
        routes.add(RouteSpec.get("/api/v1/workflow-inbox/counts", Access.READER, "Review item counts of the tenant", "workflows"),
                call -> Reply.ok(guard(() -> workflows.inbox().counts(call.tenant()))));
        routes.add(RouteSpec.get("/api/v1/workflows/{workflow_id}", Access.READER, "One review item with actions and notifications",
                "workflows"), call -> Reply.ok(guard(() -> workflows.detail(call.tenant(), call.pathParam("workflow_id")))));
        routes.add(RouteSpec.post("/api/v1/workflows/{workflow_id}/actions", Access.WRITER, 200,
                "Review action: approve, reject, override, request_change, comment, reassign, escalate, claim, export", "workflows")
                .permission("workflow_review|workflow_assign|workflow_escalate|workflow_override|workflow_export"), this::act);
        routes.add(RouteSpec.post("/api/v1/workflows/{workflow_id}/attachments", Access.WRITER, 201,
                "Upload an evidence file (raw body, Content-Type, ?file_name=)", "workflows").permission("workflow_review")
                .query("file_name"), this::upload);
        routes.add(RouteSpec.get("/api/v1/workflows/{workflow_id}/attachments", Access.READER, "Evidence files of a review item",
                "workflows"), call -> Reply.ok(JsonObject.builder().put("attachments", org.decisiongraph.core.json.JsonArray.of(
                workflows.attachments().list(call.tenant(), call.pathParam("workflow_id")).stream()
                        .map(a -> (org.decisiongraph.core.json.Json) Attachments.json(a)).toList())).build()));
        routes.add(RouteSpec.get("/api/v1/workflows/{workflow_id}/attachments/{attachment_id}", Access.READER,
                "Download an evidence file (tenant only)", "workflows").produces("application/octet-stream"), this::download);
        routes.add(RouteSpec.get("/api/v1/admin/workflows/{workflow_id}/export", Access.ADMIN, "Audit export of a review item",
                "workflows").permission("workflow_export"), this::export);
        routes.add(RouteSpec.get("/api/v1/workflow-studio/templates", Access.READER, "Review templates", "workflows"),
                call -> Reply.ok(workflows.templates(call.tenant())));
        routes.add(RouteSpec.post("/api/v1/admin/workflow-templates", Access.ADMIN, 201,
                "Save a tenant review template (validated; each save is a new version)", "workflows"),
                call -> Reply.created(org.decisiongraph.workflow.TenantTemplates.rowJson(guard(() ->
                        workflows.tenantTemplates().save(call.tenant(), call.bodyObject(), caller(call))))));
        routes.add(RouteSpec.get("/api/v1/admin/workflow-templates/{template_id}/versions", Access.ADMIN,
                "Every version of a tenant review template", "workflows"),
                call -> Reply.ok(guard(() -> workflows.tenantTemplates().versionsJson(call.tenant(), call.pathParam("template_id")))));
        routes.add(RouteSpec.get("/api/v1/workflow-studio/traces/{trace_id}", Access.READER,
                "Review recommendation for a trace (heuristic; not a policy simulation; writes nothing)", "workflows")
                .query("template_id"), call -> Reply.ok(guard(() -> workflows.studio().document(call.tenant(),
                call.pathParam("trace_id"), call.query("template_id")))));
        routes.add(RouteSpec.get("/api/v1/workflow-studio/traces/{trace_id}/simulation", Access.READER,
                "Dry run of a trace: closest precedents and why they match, likely policy decision from recorded evaluations,"
                        + " the review SLA and route (writes nothing; 409 when the precedent projection is stale)", "workflows")
                .query("template_id", "limit"), call -> Reply.ok(guard(() -> workflows.simulation().simulate(call.tenant(),
                call.pathParam("trace_id"), call.query("template_id"), call.query("limit")))));
        routes.add(RouteSpec.post("/api/v1/workflow-studio/traces/{trace_id}/reviews", Access.WRITER, 201,
                "Start a trace review (WorkflowReviewRequested)", "workflows").permission("workflow_assign"), this::startReview);
    }

    /** The workflow caller of an authenticated call. */
    static Caller caller(Call call) {
        Principal p = call.principal();
        return new Caller(p.accountId(), Caller.SERVICE_ACCOUNT, p.account().roles(), p.account().permissions(), call.requestId(),
                call.clientAddress());
    }

    private Reply inbox(Call call) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String name : call.spec().queryParams()) {
            String v = call.query(name);
            if (v != null) {
                q.put(name, v);
            }
        }
        return Reply.ok(guard(() -> workflows.inbox().list(call.tenant(), Inbox.Params.of(q))));
    }

    private Reply act(Call call) {
        JsonObject body = call.bodyObject();
        ActionResult r = guard(() -> workflows.review().act(call.tenant(), call.pathParam("workflow_id"), body, caller(call)));
        if (!r.replay()) {
            signalAppended(call, r.workflow().traceId(), r.action().getString("appended_event_id"));
        }
        Reply reply = Reply.ok(JsonObject.builder().put("action", r.action()).put("workflow", workflows.itemJson(r.workflow())).build());
        return r.replay() ? reply.withHeader("Idempotent-Replay", "true") : reply;
    }

    private Reply upload(Call call) {
        byte[] content = call.bodyBytes();
        Attachment a = guard(() -> workflows.attachments().upload(call.tenant(), call.pathParam("workflow_id"), call.query("file_name"),
                call.contentType(), content, caller(call)));
        return Reply.created(JsonObject.builder().put("attachment", Attachments.json(a)).build());
    }

    private Reply download(Call call) {
        Attachment a = guard(() -> workflows.attachments().download(call.tenant(), call.pathParam("workflow_id"),
                call.pathParam("attachment_id")));
        return Reply.bytes(200, a.content(), a.contentType()).withHeader("x-dg-sha256", a.sha256())
                .withHeader("Content-Disposition", "attachment; filename=\"" + a.fileName().replace("\"", "") + "\"");
    }

    private Reply export(Call call) {
        String id = call.pathParam("workflow_id");
        Caller c = caller(call);
        try {
            if (!c.has("workflow_export")) {
                throw WorkflowError.forbidden("Service account lacks workflow_export permission");
            }
            JsonObject doc = workflows.export().document(call.tenant(), id);
            call.services().audit().admin(call, "workflow_export", "accepted", "workflow", id, null, null, JsonObject.empty());
            return Reply.ok(doc);
        } catch (WorkflowError e) {
            call.services().audit().admin(call, "workflow_export", e.status() == 403 ? "denied" : "rejected", "workflow", id,
                    e.message(), e.code(), JsonObject.empty());
            throw toApi(e);
        }
    }

    private Reply startReview(Call call) {
        JsonObject body = call.bodyObject();
        Studio.Started s = guard(() -> workflows.studio().startReview(call.tenant(), call.pathParam("trace_id"), body, caller(call)));
        signalAppended(call, s.workflow().traceId(), s.appendedEventId());
        return Reply.created(JsonObject.builder()
                .put("action", JsonObject.builder().put("appended_event_id", s.appendedEventId() == null ? JsonNull.INSTANCE
                        : new org.decisiongraph.core.json.JsonString(s.appendedEventId())).put("outcome", "start_review").build())
                .put("created", s.created())
                .put("review_context", s.reviewContext())
                .put("workflow", workflows.itemJson(s.workflow())).build());
    }

    /**
     * A decision or start-review appended an event (to the trace or its linked review trace): hand it to the append
     * hook as an event append does, so the projection workers, the SSE stream and webhooks hear of it now.
     */
    private static void signalAppended(Call call, String traceId, String eventId) {
        if (eventId == null) {
            return;
        }
        java.util.List<org.decisiongraph.core.event.StoredEvent> appended = new java.util.ArrayList<>();
        for (String trace : java.util.List.of(traceId, traceId + ":review")) {
            for (org.decisiongraph.core.event.StoredEvent e : call.services().log().traceEvents(call.tenant(), trace)) {
                if (e.eventId().equals(eventId)) {
                    appended.add(e);
                }
            }
        }
        if (!appended.isEmpty()) {
            call.services().appendHook().eventsAppended(call.tenant(), appended);
        }
    }

    @FunctionalInterface
    private interface Body<T> {
        T get();
    }

    private static <T> T guard(Body<T> body) {
        try {
            return body.get();
        } catch (WorkflowError e) {
            throw toApi(e);
        }
    }

    static ApiError toApi(WorkflowError e) {
        return new ApiError(e.status(), e.code(), e.message());
    }
}
