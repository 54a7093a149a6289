package org.decisiongraph.workflow.sla;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.decisiongraph.workflow.Escalation;
import org.decisiongraph.workflow.Notices;
import org.decisiongraph.workflow.Statuses;
import org.decisiongraph.workflow.WorkflowConfig;

/**
 * The SLA sweep (platform spec 3.4, 3.12 item 4) as a pure step: {@link #tick} evaluates every open item
 * of a tenant whose deadline is within the warning window at instant {@code now}:
 * <ul>
 * <li>deadline risk: {@code 0 < sla_due_at - now <= deadline_risk_warning_minutes} → notification
 *     {@code deadline_risk}, dedupe {@code deadline_risk:<id>:<sla_due_at>} (so once per deadline);</li>
 * <li>auto-escalation: status {@code requested|in_review|changes_requested} and {@code sla_due_at < now} →
 *     escalation (reason {@code SLA deadline passed}, source {@code automatic_sla_escalation}, actor
 *     {@code workflow-sla}/{@code system}), deadline extended to {@code now + sla_hours}.</li>
 * </ul>
 * The item row is the timer: the escalation is applied with a conditional UPDATE on the stored
 * {@code escalation_count} and status, inside a transaction holding the tenant's workflow lock, and its
 * action id {@code wfa:sla:<id>:<count>} is deterministic, so several sweepers (threads, processes, nodes,
 * restarts) escalate each item once per deadline. Instants are compared as instants.
 */
public final class SlaSweep {
    private static final int PAGE = 2000;

    private final WorkflowStore store;
    private final WorkflowConfig config;

    public SlaSweep(WorkflowStore store, WorkflowConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** What one tick did for a tenant. */
    public record TickResult(int examined, int warned, int escalated) {
    }

    /** Sweeps every tenant that has a workflow cursor. */
    public TickResult tick(Instant now) {
        int examined = 0;
        int warned = 0;
        int escalated = 0;
        for (String tenant : store.tenants()) {
            TickResult r = tick(tenant, now);
            examined += r.examined();
            warned += r.warned();
            escalated += r.escalated();
        }
        return new TickResult(examined, warned, escalated);
    }

    /** Sweeps one tenant at {@code now}. */
    public TickResult tick(String tenant, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        Instant warnUntil = at.plus(Duration.ofMinutes(config.deadlineRiskWarningMinutes()));
        int examined = 0;
        int warned = 0;
        int escalated = 0;
        Instant afterAt = null;
        String afterId = null;
        while (true) {
            List<WorkflowItem> due = store.openItemsDueBy(tenant, warnUntil, afterAt, afterId, PAGE);
            if (due.isEmpty()) {
                break;
            }
            int[] counts = store.write(tenant, tx -> {
                int w = 0;
                int e = 0;
                for (WorkflowItem seen : due) {
                    WorkflowItem item = tx.item(seen.workflowId()).orElse(null);
                    if (item == null || !Statuses.isOpen(item.status()) || item.slaDueAt() == null) {
                        continue;
                    }
                    if (item.slaDueAt().isAfter(at) && !item.slaDueAt().isAfter(warnUntil)) {
                        if (Notices.deadlineRisk(tx, item, at)) {
                            w++;
                        }
                    } else if (item.slaDueAt().isBefore(at) && Statuses.AUTO_ESCALATABLE.contains(item.status())) {
                        Escalation.Result r = Escalation.apply(tx, item, at, Escalation.SLA_REASON, Escalation.AUTOMATIC_SOURCE,
                                config.escalationAssignedAccountId(), config.escalationAssignedRole(), Escalation.SLA_ACTOR,
                                "system", null, null, null, true, Escalation.systemAuditor(tenant, at), config);
                        if (r.applied()) {
                            e++;
                        }
                    }
                }
                return new int[] {w, e};
            });
            examined += due.size();
            warned += counts[0];
            escalated += counts[1];
            if (due.size() < PAGE) {
                break;
            }
            afterAt = due.getLast().requestedAt();
            afterId = due.getLast().workflowId();
        }
        return new TickResult(examined, warned, escalated);
    }
}
