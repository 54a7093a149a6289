package org.decisiongraph.store.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

class InMemoryReadModelStoreTest extends ReadModelStoreContract {

    @Override
    protected ReadModelStore newStore() {
        return new InMemoryReadModelStore("tenant-a");
    }

    @Test
    void writesOutsideTheScopeAreRefused() {
        assertThatThrownBy(() -> store.write(EnumSet.of(ProjectionName.TRACE_SUMMARY),
                w -> w.insertNodeIfAbsent(new NodeRow("trace:t", "trace", "t", 1, "c"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.nodes(List.of("trace:t"))).isEmpty();
        assertThat(store.tenantId()).isEqualTo("tenant-a");
    }

    @Test
    void aBlankTenantIsRefused() {
        assertThatThrownBy(() -> new InMemoryReadModelStore(" "))
                .isInstanceOf(org.decisiongraph.core.error.DgException.class)
                .hasMessage("tenant_id cannot be empty");
        assertThat(new InMemoryReadModelStore().tenantId()).isEqualTo("default");
    }

    @Test
    void theWriterDiesWithItsTransaction() {
        ReadModelWriter[] kept = new ReadModelWriter[1];
        store.write(ALL, w -> kept[0] = w);
        assertThatThrownBy(() -> kept[0].setCursor(ProjectionName.CONTEXT_GRAPH, 3)).isInstanceOf(IllegalStateException.class);
        assertThat(store.cursor(ProjectionName.CONTEXT_GRAPH)).isZero();
    }
}
