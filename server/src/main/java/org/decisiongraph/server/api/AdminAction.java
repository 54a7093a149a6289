package org.decisiongraph.server.api;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonObject;

/**
 * Runs a state-changing admin action and writes its {@code audit_log} row, accepted or rejected
 * (platform spec 1.15, 2.6). The reason check ({@code admin_controls.require_reason}) runs inside, so a
 * missing reason is audited as a rejection too.
 */
final class AdminAction {
    @FunctionalInterface
    interface Body {
        Reply run() throws Exception;
    }

    private AdminAction() {
    }

    /**
     * @param label the {@code <action>} of {@code reason is required for <action> admin actions}
     */
    static Reply run(Call call, String action, String label, String targetType, String targetId, String reason,
                     JsonObject details, Body body) throws Exception {
        try {
            if (call.services().config().requireReason() && (reason == null || reason.isBlank())) {
                throw ApiError.invalidArgument("reason is required for " + label + " admin actions");
            }
            Reply reply = body.run();
            call.services().audit().admin(call, action, "accepted", targetType, targetId, reason, null, details);
            return reply;
        } catch (ApiError e) {
            call.services().audit().admin(call, action, "rejected", targetType, targetId,
                    e.getMessage(), e.code(), details);
            throw e;
        } catch (DgException e) {
            call.services().audit().admin(call, action, "rejected", targetType, targetId,
                    e.message(), e.code().apiCode(), details);
            throw e;
        }
    }
}
