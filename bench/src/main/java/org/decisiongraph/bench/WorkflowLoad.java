package org.decisiongraph.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.workflow.WorkflowItem;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.Workflows;
import org.decisiongraph.workflow.inbox.Inbox;

/**
 * Load driver for the review workflow: fills one tenant with N open review items (priorities, roles and
 * deadlines spread out; {@code overdue} of them past their deadline; one assignment notification each), then measures inbox queries (p50/p95
 * over the default inbox, a role filter, only_overdue and a second page by cursor) and SLA sweeps (a sweep
 * with nothing due, and a sweep escalating the overdue items). Prints Markdown table rows.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.decisiongraph.bench.WorkflowLoad <sqlite|postgres> <items> <overdue> [iterations]}
 */
public final class WorkflowLoad {
    static final String TENANT = "bench";
    private static final List<String> PRIORITIES = List.of("urgent", "high", "normal", "low");
    private static final List<String> ROLES = List.of("admin", "finance", "legal", "sales-ops");

    private WorkflowLoad() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        int items = Integer.parseInt(args[1]);
        int overdue = Integer.parseInt(args[2]);
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        EmbeddedPostgres pg = null;
        Database db;
        if (backend.equals("postgres")) {
            pg = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "off").start();
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE bench");
            }
            db = Database.postgres("jdbc:postgresql://localhost:" + pg.getPort() + "/bench?user=postgres", null, null,
                    StoreConfig.DEFAULTS.withPoolSize(4));
        } else {
            Path file = Scratch.dir("dg-bench-").resolve("bench.db");
            db = Database.sqlite(file);
        }
        try {
            run(backend, db, items, overdue, iterations);
        } finally {
            db.close();
            if (pg != null) {
                pg.close();
            }
        }
    }

    private static void run(String backend, Database db, int n, int overdue, int iterations) {
        Instant now = Instant.parse("2026-03-07T12:00:00Z");
        Clock clock = Clock.fixed(now, java.time.ZoneOffset.UTC);
        Workflows wf = new Workflows(db, EventLog.open(db, EventTypeSet.PLATFORM, clock), clock, WorkflowConfig.DEFAULTS);
        long t0 = System.nanoTime();
        int batch = 5000;
        for (int start = 0; start < n; start += batch) {
            int from = start;
            int to = Math.min(n, start + batch);
            wf.store().write(TENANT, tx -> {
                for (int i = from; i < to; i++) {
                    boolean late = i < overdue;
                    Instant requested = now.minus(Duration.ofMinutes(late ? 600 + i % 600 : 60 + i % 120));
                    Instant due = late ? now.minus(Duration.ofMinutes(1 + i % 300)) : now.plus(Duration.ofHours(2 + i % 48));
                    WorkflowItem.Draft d = new WorkflowItem.Draft();
                    d.tenantId = TENANT;
                    d.workflowId = "trace-" + i + ":exception:ex-" + i;
                    d.traceId = "trace-" + i;
                    d.workflowKind = "exception_review";
                    d.workflowName = "discount_approval";
                    d.subjectType = "exception";
                    d.subjectId = "ex-" + i;
                    d.status = i % 5 == 0 ? "in_review" : "requested";
                    d.priority = PRIORITIES.get(i % 4);
                    d.title = "Discount " + i;
                    d.policyId = "discount-cap";
                    d.assignedRole = ROLES.get(i % 4);
                    d.requestedAt = requested;
                    d.slaDueAt = due;
                    d.updatedAt = requested;
                    d.createdFromEventId = "e-" + i;
                    d.metadata = JsonObject.builder().put("sla_hours", 4).build();
                    WorkflowItem item = d.build();
                    tx.saveItem(item);
                    // every imported item has its assignment notification (counted by the summary)
                    tx.insertNotification(new org.decisiongraph.store.workflow.WorkflowNotification(TENANT, "wfn:bench-" + i,
                            item.workflowId(), item.traceId(), "assignment", null, null, "Workflow " + item.workflowId()
                            + " assigned to " + item.assignedRole(), null, item.assignedRole(), JsonObject.empty(),
                            "assignment:" + item.workflowId() + ":" + item.assignedRole(), requested, requested));
                }
                tx.setCursor(0, now);
                return null;
            });
        }
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "| %s | fill %d open items | %.1f s |%n", backend, n, fillSeconds);

        Map<String, Map<String, String>> queries = new java.util.LinkedHashMap<>();
        queries.put("inbox (default: open, SLA order, 12)", Map.of());
        queries.put("inbox assigned_role=finance", Map.of("assigned_role", "finance"));
        queries.put("inbox only_overdue=true", Map.of("only_overdue", "true"));
        queries.put("inbox priority=urgent limit=50", Map.of("priority", "urgent", "limit", "50"));
        String cursor = wf.inbox().list(TENANT, Inbox.Params.of(Map.of())).getString("next_cursor");
        if (cursor != null) {
            queries.put("inbox page 2 (cursor)", Map.of("cursor", cursor));
        }
        for (var q : queries.entrySet()) {
            Inbox.Params p = Inbox.Params.of(q.getValue());
            for (int i = 0; i < 20; i++) {
                wf.inbox().list(TENANT, p);
            }
            long[] page = new long[iterations];
            long[] doc = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                long s = System.nanoTime();
                wf.inbox().page(TENANT, p);
                page[i] = System.nanoTime() - s;
                s = System.nanoTime();
                wf.inbox().list(TENANT, p);
                doc[i] = System.nanoTime() - s;
            }
            Arrays.sort(page);
            Arrays.sort(doc);
            System.out.printf(Locale.ROOT, "| %s | %s (%d open) | items p50 %.2f ms, p95 %.2f ms; with summary p50 %.2f ms, p95 %.2f ms |%n",
                    backend, q.getKey(), n, page[iterations / 2] / 1e6, page[(int) (iterations * 0.95)] / 1e6,
                    doc[iterations / 2] / 1e6, doc[(int) (iterations * 0.95)] / 1e6);
        }
        // the summary counts alone (GET /api/v1/workflow-inbox/counts): counters table + overdue range + cursor
        for (int i = 0; i < 20; i++) {
            wf.inbox().counts(TENANT);
        }
        long[] counts = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long s = System.nanoTime();
            wf.inbox().counts(TENANT);
            counts[i] = System.nanoTime() - s;
        }
        Arrays.sort(counts);
        System.out.printf(Locale.ROOT, "| %s | summary counts (%d open, %d overdue) | p50 %.2f ms, p95 %.2f ms, max %.2f ms |%n", backend,
                n, overdue, counts[iterations / 2] / 1e6, counts[(int) (iterations * 0.95)] / 1e6, counts[iterations - 1] / 1e6);
        long s0 = System.nanoTime();
        var idle = wf.sweep().tick(TENANT, now.minus(Duration.ofDays(1)));
        System.out.printf(Locale.ROOT, "| %s | SLA sweep of %d open items, nothing due | %.1f ms (examined %d) |%n", backend, n,
                (System.nanoTime() - s0) / 1e6, idle.examined());
        long s1 = System.nanoTime();
        var hot = wf.sweep().tick(TENANT, now);
        System.out.printf(Locale.ROOT, "| %s | SLA sweep of %d open items, %d overdue | %.1f ms (escalated %d, warned %d) |%n", backend,
                n, overdue, (System.nanoTime() - s1) / 1e6, hot.escalated(), hot.warned());
        long s2 = System.nanoTime();
        var again = wf.sweep().tick(TENANT, now);
        System.out.printf(Locale.ROOT, "| %s | SLA sweep repeated (idempotent) | %.1f ms (escalated %d) |%n", backend,
                (System.nanoTime() - s2) / 1e6, again.escalated());
    }
}
