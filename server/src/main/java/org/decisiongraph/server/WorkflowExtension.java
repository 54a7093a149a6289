package org.decisiongraph.server;

import java.util.List;

import org.decisiongraph.server.api.WorkflowApi;
import org.decisiongraph.workflow.Workflows;

/**
 * Plugs the human review workflow into the server: its route group and an append hook that catches the
 * tenant's {@code workflow} projection up after every committed append (so reads never import).
 */
public final class WorkflowExtension {
    private WorkflowExtension() {
    }

    public static DgServer.Extensions of(Workflows workflows) {
        AppendHook hook = (tenant, events) -> {
            workflows.catchUp(tenant);
            return true;
        };
        return new DgServer.Extensions(List.of(new WorkflowApi(workflows)), List.of(hook), ProjectionHealthSource.NONE);
    }
}
