package org.decisiongraph.server.api;

import java.util.Objects;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.store.workflow.Webhook;
import org.decisiongraph.workflow.WorkflowError;
import org.decisiongraph.workflow.notify.Webhooks;

/** Webhook administration (platform spec 1.15.9, routes N21-N26), admin role, scoped to the caller's tenant; audited. */
public final class WebhooksApi implements RouteGroup {
    private static final int PAGE = 50;
    private final Webhooks webhooks;

    public WebhooksApi(Webhooks webhooks) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
    }

    @Override
    public void register(Routes routes) {
        routes.add(RouteSpec.get("/api/v1/admin/webhooks", Access.ADMIN, "Webhook subscriptions of the tenant", "admin"),
                call -> Reply.ok(JsonObject.builder().put("webhooks", JsonArray.of(webhooks.list(call.tenant()).stream()
                        .map(w -> (Json) Webhooks.json(w)).toList())).build()));
        routes.add(RouteSpec.post("/api/v1/admin/webhooks", Access.ADMIN, 201, "Create a webhook subscription (secret shown once)",
                "admin"), this::create);
        routes.add(RouteSpec.get("/api/v1/admin/webhooks/{webhook_id}", Access.ADMIN, "One webhook subscription", "admin"),
                call -> Reply.ok(JsonObject.builder().put("webhook", Webhooks.json(guard(() ->
                        webhooks.get(call.tenant(), call.pathParam("webhook_id"))))).build()));
        routes.add(RouteSpec.post("/api/v1/admin/webhooks/{webhook_id}/disable", Access.ADMIN, 200, "Stop deliveries", "admin"),
                call -> status(call, "disabled", "webhook_disable"));
        routes.add(RouteSpec.post("/api/v1/admin/webhooks/{webhook_id}/enable", Access.ADMIN, 200, "Resume deliveries", "admin"),
                call -> status(call, "active", "webhook_enable"));
        routes.add(RouteSpec.get("/api/v1/admin/webhooks/{webhook_id}/deliveries", Access.ADMIN, "Delivery attempts (cursor)", "admin")
                .query("cursor"), this::deliveries);
    }

    private Reply create(Call call) {
        JsonObject body = call.bodyObject();
        try {
            Webhooks.Created c = webhooks.create(call.tenant(), body, call.principal().accountId());
            call.services().audit().admin(call, "webhook_create", "accepted", "webhook", c.webhook().webhookId(), null, null,
                    JsonObject.builder().put("url", c.webhook().url()).build());
            return Reply.created(JsonObject.builder().put("secret", c.secret()).put("webhook", Webhooks.json(c.webhook())).build());
        } catch (WorkflowError e) {
            call.services().audit().admin(call, "webhook_create", "rejected", "webhook", null, e.message(), e.code(), JsonObject.empty());
            throw WorkflowApi.toApi(e);
        }
    }

    private Reply status(Call call, String status, String action) {
        String id = call.pathParam("webhook_id");
        try {
            Webhook w = webhooks.setStatus(call.tenant(), id, status);
            call.services().audit().admin(call, action, "accepted", "webhook", id, null, null, JsonObject.empty());
            return Reply.ok(JsonObject.builder().put("webhook", Webhooks.json(w)).build());
        } catch (WorkflowError e) {
            call.services().audit().admin(call, action, "rejected", "webhook", id, e.message(), e.code(), JsonObject.empty());
            throw WorkflowApi.toApi(e);
        }
    }

    private Reply deliveries(Call call) {
        String id = call.pathParam("webhook_id");
        guard(() -> webhooks.get(call.tenant(), id));
        int offset = 0;
        String cursor = call.query("cursor");
        if (cursor != null && !cursor.isBlank()) {
            try {
                offset = Integer.parseInt(cursor.strip());
            } catch (NumberFormatException e) {
                throw ApiError.invalidArgument("Invalid cursor");
            }
        }
        var rows = webhooks.store().deliveries(call.tenant(), id, offset, PAGE + 1);
        boolean more = rows.size() > PAGE;
        var page = more ? rows.subList(0, PAGE) : rows;
        return Reply.ok(JsonObject.builder().put("deliveries", JsonArray.of(page.stream().map(d -> (Json) Webhooks.json(d)).toList()))
                .put("next_cursor", more ? new JsonString(Integer.toString(offset + PAGE)) : JsonNull.INSTANCE).build());
    }

    @FunctionalInterface
    private interface Body<T> {
        T get();
    }

    private static <T> T guard(Body<T> body) {
        try {
            return body.get();
        } catch (WorkflowError e) {
            throw WorkflowApi.toApi(e);
        }
    }
}
