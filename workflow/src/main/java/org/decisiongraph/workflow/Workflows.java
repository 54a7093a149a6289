package org.decisiongraph.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.decisiongraph.workflow.inbox.Inbox;
import org.decisiongraph.workflow.sla.SlaRunner;
import org.decisiongraph.workflow.sla.SlaSweep;

/**
 * The workflow runtime of one database, wired once: the {@code workflow} projection, review actions, inbox,
 * export, studio, SLA sweep and its runner. Thread-safe.
 */
public final class Workflows implements AutoCloseable {
    private final WorkflowStore store;
    private final EventLog log;
    private final Clock clock;
    private final WorkflowConfig config;
    private final WorkflowProjection projection;
    private final WorkflowExport export;
    private final ReviewService review;
    private final Inbox inbox;
    private final SlaSweep sweep;
    private final Studio studio;
    private final PolicySimulation simulation;
    private final Attachments attachments;
    private final TenantTemplates tenantTemplates;
    private volatile SlaRunner runner;

    public Workflows(Database db, EventLog log, Clock clock, WorkflowConfig config) {
        this.store = new WorkflowStore(Objects.requireNonNull(db, "db"));
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.projection = new WorkflowProjection(store, log, clock, config);
        this.export = new WorkflowExport(store, log, clock);
        this.review = new ReviewService(store, log, projection, export, clock, config);
        this.inbox = new Inbox(store, projection, clock);
        this.sweep = new SlaSweep(store, config);
        this.studio = new Studio(store, log, projection, clock, config);
        this.simulation = new PolicySimulation(log, store, studio, clock, config);
        this.attachments = new Attachments(store, clock);
        this.tenantTemplates = new TenantTemplates(store, clock);
        this.studio.templates(tenantTemplates);
    }

    public WorkflowStore store() {
        return store;
    }

    public EventLog log() {
        return log;
    }

    public WorkflowConfig config() {
        return config;
    }

    public WorkflowProjection projection() {
        return projection;
    }

    public ReviewService review() {
        return review;
    }

    public Inbox inbox() {
        return inbox;
    }

    public WorkflowExport export() {
        return export;
    }

    public SlaSweep sweep() {
        return sweep;
    }

    public Studio studio() {
        return studio;
    }

    /** The studio's dry run (closest precedents, likely decision, review SLA and route); writes nothing. */
    public PolicySimulation simulation() {
        return simulation;
    }

    public TenantTemplates tenantTemplates() {
        return tenantTemplates;
    }

    public Attachments attachments() {
        return attachments;
    }

    /** Catches the tenant's workflow projection up (the append hook calls this after commits). */
    public long catchUp(String tenant) {
        return projection.catchUp(tenant);
    }

    /** Starts the scheduled import + sweep ({@code sweep_interval_seconds}); idempotent. */
    public synchronized Workflows startRunner() {
        if (runner == null) {
            runner = new SlaRunner(store, projection, sweep, clock).start(config.sweepIntervalSeconds());
        }
        return this;
    }

    /** The detail document {@code {workflow, actions, notifications (latest 12), review_context, trace_reference}}. */
    public JsonObject detail(String tenant, String workflowId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        WorkflowItem item = store.item(tenant, workflowId)
                .orElseThrow(() -> WorkflowError.notFound("Workflow not found: " + workflowId));
        Json context;
        try {
            context = studio.reviewContext(tenant, item.traceId(), null);
        } catch (RuntimeException e) {
            context = org.decisiongraph.core.json.JsonNull.INSTANCE;
        }
        return JsonObject.builder().put("workflow", WorkflowDocs.item(item, now))
                .put("actions", JsonArray.of(store.actions(tenant, workflowId).stream().map(a -> (Json) WorkflowDocs.action(a)).toList()))
                .put("notifications", JsonArray.of(store.notifications(tenant, workflowId, 12).stream()
                        .map(n -> (Json) WorkflowDocs.notification(n)).toList()))
                .put("review_context", context)
                .put("trace_reference", WorkflowExport.traceReference(item))
                .build();
    }

    /**
     * Tells {@code listener} about every committed item change: the tenant and the {@code workflow_changed} frame
     * data of the item ({@link WorkflowDocs#changed}). Called on the committing thread; must not block.
     */
    public void onItemChanged(java.util.function.BiConsumer<String, JsonObject> listener) {
        store.onItemsChanged((tenant, items) -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            for (WorkflowItem it : items) {
                listener.accept(tenant, WorkflowDocs.changed(it, now));
            }
        });
    }

    /** The item as the API shows it. */
    public JsonObject itemJson(WorkflowItem item) {
        return WorkflowDocs.item(item, clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /** The template list: the three built-in templates, then the tenant's current ones (additive). */
    public JsonObject templates(String tenant) {
        return JsonObject.builder().put("templates", JsonArray.of(tenantTemplates.all(tenant).stream().map(t -> (Json) t.toJson()).toList()))
                .build();
    }

    static List<String> managed() {
        return WorkflowProjection.MANAGED;
    }

    @Override
    public synchronized void close() {
        if (runner != null) {
            runner.close();
            runner = null;
        }
    }
}
