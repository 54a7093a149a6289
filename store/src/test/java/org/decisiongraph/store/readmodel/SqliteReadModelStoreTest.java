package org.decisiongraph.store.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.store.Database;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SqliteReadModelStoreTest extends ReadModelStoreContract {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private final List<Database> open = new ArrayList<>();

    @Override
    protected ReadModelStore newStore() {
        Database db = Database.sqlite(TestDatabases.newSqlitePath());
        open.add(db);
        return SqlReadModelStore.open(db, "tenant-a", CLOCK);
    }

    @AfterEach
    void close() {
        open.forEach(Database::close);
    }

    @Test
    void tenantsAreIsolated() {
        Database db = open.getFirst();
        SqlReadModelStore other = SqlReadModelStore.open(db, " tenant-b ", CLOCK);
        store.write(ALL, w -> {
            w.insertNodeIfAbsent(new NodeRow("trace:t", "trace", "t", 1, "c"));
            w.setCursor(ProjectionName.CONTEXT_GRAPH, 1);
        });
        assertThat(other.tenantId()).isEqualTo("tenant-b");
        assertThat(other.nodes(List.of("trace:t"))).isEmpty();
        assertThat(other.cursor(ProjectionName.CONTEXT_GRAPH)).isZero();
        other.write(ALL, w -> w.clear(ProjectionName.CONTEXT_GRAPH));
        assertThat(store.nodes(List.of("trace:t"))).hasSize(1);
        assertThatThrownBy(() -> SqlReadModelStore.open(db, " ", CLOCK)).isInstanceOf(DgException.class)
                .hasMessage("tenant_id cannot be empty");
    }

    @Test
    void batchedRowsOfAFailedWriteAreNotSentLater() {
        assertThatThrownBy(() -> store.write(ALL, w -> {
            w.insertNodeIfAbsent(new NodeRow("trace:lost", "trace", "t", 1, "c"));
            w.insertEdgeIfAbsent(new EdgeRow("e:lost", "x", "trace:lost", "trace:lost", "t", 1, "c"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        store.write(EnumSet.of(ProjectionName.CONTEXT_GRAPH), w -> w.insertNodeIfAbsent(new NodeRow("trace:kept", "trace", "t", 2, "c")));
        List<String> ids = new ArrayList<>();
        store.forEachNode(n -> ids.add(n.nodeId()));
        assertThat(ids).containsExactly("trace:kept");
        assertThat(store.edge("e:lost")).isEmpty();
    }

    @Test
    void openFailuresAndRunsOfTheTenant() throws Exception {
        java.nio.file.Path path = TestDatabases.newSqlitePath();
        try (Database db = Database.sqlite(path)) {
            SqlReadModelStore a = SqlReadModelStore.open(db, "a", CLOCK);
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + path); var st = c.createStatement()) {
                st.execute("INSERT INTO dg_projection_failures (id, tenant_id, projection_name, error_code, error_message,"
                        + " status, recorded_at) VALUES ('f1', 'a', 'trace_summary', 'storage', 'x', 'open', 't'),"
                        + " ('f2', 'a', 'trace_summary', 'storage', 'x', 'resolved', 't'),"
                        + " ('f3', 'b', 'trace_summary', 'storage', 'x', 'open', 't')");
                st.execute("INSERT INTO dg_projection_runs (job_id, tenant_id, projection_name, mode, status, requested_at,"
                        + " until_log_seq) VALUES ('replay-2', 'a', 'all', 'rebuild', 'running', '2026-01-02', NULL),"
                        + " ('replay-1', 'a', 'context_graph', 'catch_up', 'queued', '2026-01-01', 7),"
                        + " ('replay-3', 'a', 'all', 'rebuild', 'completed', '2026-01-03', NULL),"
                        + " ('replay-4', 'b', 'all', 'rebuild', 'queued', '2026-01-01', NULL)");
            }
            assertThat(a.openFailureCount(ProjectionName.TRACE_SUMMARY)).isEqualTo(1);
            assertThat(a.openFailureCount(ProjectionName.CONTEXT_GRAPH)).isZero();
            assertThat(a.openRuns()).extracting(ProjectionRun::jobId).containsExactly("replay-1", "replay-2");
            assertThat(a.openRuns().getFirst().untilLogSeq()).isEqualTo(7L);
            assertThat(a.openRuns().getLast().untilLogSeq()).isNull();
        }
    }

    @Test
    void writesOutsideTheScopeAreRefused() {
        assertThatThrownBy(() -> store.write(EnumSet.of(ProjectionName.TRACE_SUMMARY),
                w -> w.insertNodeIfAbsent(new NodeRow("trace:t", "trace", "t", 1, "c"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.nodes(List.of("trace:t"))).isEmpty();
    }

    @Test
    void manyRowsInOneTransactionAreFlushedInOrder() {
        store.write(ALL, w -> {
            for (int i = 0; i < 5000; i++) {
                w.insertNodeIfAbsent(new NodeRow("n:" + (i % 3000), "n", "t", i + 1, "c" + i));
            }
        });
        List<NodeRow> rows = new ArrayList<>();
        store.forEachNode(rows::add);
        assertThat(rows).hasSize(3000);
        assertThat(store.nodes(List.of("n:7")).getFirst().logSeq()).isEqualTo(8);
    }
}
