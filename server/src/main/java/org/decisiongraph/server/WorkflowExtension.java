package org.decisiongraph.server;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.server.api.RouteGroup;
import org.decisiongraph.server.api.WebhooksApi;
import org.decisiongraph.server.api.WorkflowApi;
import org.decisiongraph.workflow.Workflows;
import org.decisiongraph.workflow.notify.Webhooks;

/**
 * Plugs the human review workflow into the server: its route groups (reviews; evidence bundles; webhook administration
 * when {@code webhooks} is given) and an append hook that catches the tenant's {@code workflow} projection up after
 * every committed append (so reads never import).
 */
public final class WorkflowExtension {
    private WorkflowExtension() {
    }

    public static DgServer.Extensions of(Workflows workflows) {
        return of(workflows, null);
    }

    /**
     * As {@link #of(Workflows, Webhooks)}, plus the projection runtime: the {@code workflow} projection becomes a
     * runtime worker per tenant (durable cursor, retry with backoff, failure records, {@code workflow_runtime} in
     * projection health, listed with the other workers, retry of quarantined events), and committed item changes
     * are published as {@code workflow_changed} frames on the SSE hub.
     */
    public static DgServer.Extensions of(Workflows workflows, Webhooks webhooks, ProjectionService projections) {
        projections.runtime().register(workflows.projection());
        workflows.onItemChanged(projections.hub()::workflowChanged);
        return of(workflows, webhooks);
    }

    public static DgServer.Extensions of(Workflows workflows, Webhooks webhooks) {
        AppendHook hook = (tenant, events) -> {
            boolean ok = true;
            if (webhooks != null) {
                try {
                    webhooks.eventsAppended(tenant, events);
                } catch (RuntimeException e) {
                    ok = false; // the events are committed; only their event_appended deliveries are missing
                }
            }
            workflows.catchUp(tenant);
            return ok;
        };
        List<RouteGroup> groups = new ArrayList<>(List.of(new WorkflowApi(workflows), new org.decisiongraph.server.api.EvidenceApi()));
        if (webhooks != null) {
            groups.add(new WebhooksApi(webhooks));
        }
        return new DgServer.Extensions(groups, List.of(hook), ProjectionHealthSource.NONE);
    }
}
