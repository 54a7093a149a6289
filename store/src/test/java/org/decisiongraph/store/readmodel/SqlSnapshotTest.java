package org.decisiongraph.store.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.decisiongraph.store.Database;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/** {@link SqlReadModelStore#snapshot} and {@link SqlReadModelStore#putCheckpointsUnlessNewer} on both backends. */
class SqlSnapshotTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final Set<ProjectionName> ALL = EnumSet.allOf(ProjectionName.class);

    @Test
    void sqlite() throws Exception {
        try (Database db = Database.sqlite(TestDatabases.newSqlitePath())) {
            check(SqlReadModelStore.open(db, "t", CLOCK));
        }
    }

    @Test
    void postgres() throws Exception {
        try (Database db = Database.postgres(TestDatabases.newPostgresUrl(), null, null, StoreConfig.DEFAULTS.withPoolSize(2))) {
            check(SqlReadModelStore.open(db, "t", CLOCK));
        }
    }

    private static NodeRow node(String id, long seq) {
        return new NodeRow(id, "trace", "t", seq, "c" + seq);
    }

    private static void check(SqlReadModelStore store) throws Exception {
        store.write(ALL, w -> {
            w.insertNodeIfAbsent(node("trace:a", 1));
            w.setCursor(ProjectionName.CONTEXT_GRAPH, 1);
        });
        long[] cursors = new long[2];
        List<String> seen = new ArrayList<>();
        Exception[] failure = new Exception[1];
        store.snapshot(() -> {
            cursors[0] = store.cursor(ProjectionName.CONTEXT_GRAPH);
            // a batch commits on another connection while the snapshot is open
            Thread t = Thread.ofPlatform().start(() -> store.write(ALL, w -> {
                w.insertNodeIfAbsent(node("trace:b", 2));
                w.setCursor(ProjectionName.CONTEXT_GRAPH, 2);
            }));
            try {
                t.join();
            } catch (InterruptedException e) {
                failure[0] = e;
            }
            cursors[1] = store.cursor(ProjectionName.CONTEXT_GRAPH);
            store.forEachNode(n -> seen.add(n.nodeId()));
        });
        assertThat(failure[0]).isNull();
        assertThat(cursors).containsExactly(1, 1);
        assertThat(seen).containsExactly("trace:a");
        assertThat(store.cursor(ProjectionName.CONTEXT_GRAPH)).isEqualTo(2);
        List<String> after = new ArrayList<>();
        store.forEachNode(n -> after.add(n.nodeId()));
        assertThat(after).containsExactly("trace:a", "trace:b");

        // an older snapshot never replaces a newer checkpoint
        assertThat(store.putCheckpointsUnlessNewer(List.of(new DigestCheckpoint("context_graph", "sha256:new", 2, "x")))).isTrue();
        assertThat(store.putCheckpointsUnlessNewer(List.of(new DigestCheckpoint("context_graph", "sha256:old", 1, "x")))).isFalse();
        assertThat(store.digestCheckpoint("context_graph").orElseThrow().digest()).isEqualTo("sha256:new");
        // after a clear the cursor is back at 0: the snapshot taken there is what is true now
        store.write(ALL, w -> w.clear(ProjectionName.CONTEXT_GRAPH));
        assertThat(store.putCheckpointsUnlessNewer(List.of(new DigestCheckpoint("context_graph", "sha256:empty", 0, "x")))).isTrue();
        assertThat(store.digestCheckpoint("context_graph").orElseThrow().lastLogSeq()).isZero();
    }
}
