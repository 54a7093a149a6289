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

class PostgresReadModelStoreTest extends ReadModelStoreContract {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private final List<Database> open = new ArrayList<>();

    @Override
    protected ReadModelStore newStore() {
        Database db = Database.postgres(TestDatabases.newPostgresUrl(), null, null, org.decisiongraph.store.StoreConfig.DEFAULTS.withPoolSize(2));
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
