package org.decisiongraph.server.api;

import java.util.function.Supplier;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.workflow.EvidenceExport;
import org.decisiongraph.workflow.WorkflowError;

/**
 * Evidence bundles over HTTP (docs/OPERATIONS.md 3): the {@code dg.evidence.v1} bundle of a trace, of a log_seq range
 * or of a review item, as {@code dg export} writes it, under the newest stored signed checkpoint covering the selection
 * (the service holds no signing key: 409 {@code no signed checkpoint of tenant 'T' covers log_seq=N; run dg checkpoint}
 * otherwise). Access as the audit export of a review item: admin role and the {@code workflow_export} permission. Every
 * request, accepted or refused, writes an {@code audit_log} row {@value #AUDIT_ACTION}.
 */
public final class EvidenceApi implements RouteGroup {
    public static final String AUDIT_ACTION = "evidence.export";
    static final String PERMISSION = "workflow_export";

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/v1/admin/evidence/traces/{trace_id}", Access.ADMIN,
                "Evidence bundle (dg.evidence.v1) of a trace under the newest covering signed checkpoint", "evidence")
                .permission(PERMISSION).returns("EvidenceBundle"),
                call -> export(call, "trace", call.pathParam("trace_id"), () -> new EvidenceExport.Trace(call.pathParam("trace_id"))));
        routes.add(RouteSpec.get("/api/v1/admin/evidence/range", Access.ADMIN,
                "Evidence bundle (dg.evidence.v1) of the log_seq range from..to under the newest covering signed checkpoint",
                "evidence").permission(PERMISSION).query("from", "to").returns("EvidenceBundle"),
                call -> export(call, "log_range", call.query("from") + ".." + call.query("to"), () -> range(call)));
        routes.add(RouteSpec.get("/api/v1/admin/evidence/workflows/{workflow_id}", Access.ADMIN,
                "Evidence bundle (dg.evidence.v1) of a review item (its source events plus its audit export as 'review')",
                "evidence").permission(PERMISSION).returns("EvidenceBundle"),
                call -> export(call, "workflow", call.pathParam("workflow_id"),
                        () -> new EvidenceExport.Review(call.pathParam("workflow_id"))));
    }

    private static EvidenceExport.Selection range(Call call) {
        if (call.query("from") == null || call.query("to") == null) {
            throw ApiError.invalidArgument("from and to are required");
        }
        long from = call.queryLong("from");
        long to = call.queryLong("to");
        if (from < 1 || to < from) {
            throw ApiError.invalidArgument("from must be >= 1 and to >= from");
        }
        return new EvidenceExport.Range(from, to);
    }

    private static Reply export(Call call, String targetType, String targetId, Supplier<EvidenceExport.Selection> selection) {
        try {
            if (!WorkflowApi.caller(call).has(PERMISSION)) {
                throw ApiError.forbidden("Service account lacks " + PERMISSION + " permission");
            }
            EvidenceExport.Selection sel = selection.get();
            JsonObject bundle = new EvidenceExport(call.services().db(), call.services().clock()).storedBundle(call.tenant(), sel);
            call.services().audit().admin(call, AUDIT_ACTION, "accepted", targetType, targetId, null, null, details(bundle));
            return Reply.ok(bundle);
        } catch (RuntimeException e) {
            ApiError error = switch (e) {
                case ApiError a -> a;
                case DgException d -> ApiError.of(d);
                case WorkflowError w -> WorkflowApi.toApi(w);
                default -> throw e;
            };
            call.services().audit().admin(call, AUDIT_ACTION, error.status() == 403 ? "denied" : "rejected", targetType, targetId,
                    error.message(), error.code(), JsonObject.empty());
            throw error;
        }
    }

    /** The audit row's details: what was exported under which checkpoint. */
    public static JsonObject details(JsonObject bundle) {
        JsonObject checkpoint = bundle.getObject("checkpoint");
        return JsonObject.builder()
                .put("selection", bundle.getObject("selection"))
                .put("events", bundle.getArray("events").size())
                .put("key_id", checkpoint.getString("key_id"))
                .build();
    }
}
