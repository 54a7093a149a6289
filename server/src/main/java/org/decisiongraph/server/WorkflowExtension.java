package org.decisiongraph.server;

import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.server.api.RouteGroup;
import org.decisiongraph.server.api.WebhooksApi;
import org.decisiongraph.server.api.WorkflowApi;
import org.decisiongraph.workflow.Workflows;
import org.decisiongraph.workflow.notify.Webhooks;

/**
 * Plugs the human review workflow into the server: its route groups (reviews; webhook administration when
 * {@code webhooks} is given) and an append hook that catches the tenant's {@code workflow} projection up after
 * every committed append (so reads never import).
 */
public final class WorkflowExtension {
    private WorkflowExtension() {
    }

    public static DgServer.Extensions of(Workflows workflows) {
        return of(workflows, null);
    }

    public static DgServer.Extensions of(Workflows workflows, Webhooks webhooks) {
        AppendHook hook = (tenant, events) -> {
            workflows.catchUp(tenant);
            return true;
        };
        List<RouteGroup> groups = new ArrayList<>(List.of(new WorkflowApi(workflows)));
        if (webhooks != null) {
            groups.add(new WebhooksApi(webhooks));
        }
        return new DgServer.Extensions(groups, List.of(hook), ProjectionHealthSource.NONE);
    }
}
