package org.decisiongraph.server.auth;

import java.util.List;

/** The seven service-layer permissions and the three roles (platform spec 2.1). */
public final class Permissions {
    public static final String PROJECTION_REPLAY = "projection_replay";
    public static final String PROJECTION_REBUILD = "projection_rebuild";
    public static final String WORKFLOW_REVIEW = "workflow_review";
    public static final String WORKFLOW_ASSIGN = "workflow_assign";
    public static final String WORKFLOW_ESCALATE = "workflow_escalate";
    public static final String WORKFLOW_OVERRIDE = "workflow_override";
    public static final String WORKFLOW_EXPORT = "workflow_export";

    public static final List<String> ALL = List.of(PROJECTION_REPLAY, PROJECTION_REBUILD, WORKFLOW_REVIEW,
            WORKFLOW_ASSIGN, WORKFLOW_ESCALATE, WORKFLOW_OVERRIDE, WORKFLOW_EXPORT);
    public static final List<String> ROLES = List.of("reader", "writer", "admin");

    private Permissions() {
    }
}
