package org.decisiongraph.projection.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.projection.Fixtures;
import org.decisiongraph.projection.ListEventFeed;
import org.decisiongraph.projection.Projector;
import org.decisiongraph.store.readmodel.DigestCheckpoint;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.junit.jupiter.api.Test;

class DigestCheckpointTest {

    @Test
    void checkpointsCarryEachCursorAndTheMinimumForTheFullDigest() {
        List<StoredEvent> events = Fixtures.scenarioEvents(Fixtures.scenarios().getFirst());
        InMemoryReadModelStore store = new InMemoryReadModelStore();
        Projector projector = new Projector(store, ListEventFeed.of(events));
        projector.catchUp(ProjectionName.CONTEXT_GRAPH, 100);
        projector.catchUp(ProjectionName.TRACE_SUMMARY, 100, 4);
        projector.catchUp(ProjectionName.PRECEDENT_INDEX, 100, 6);
        Clock clock = Clock.fixed(Instant.parse("2026-02-01T10:00:00Z"), ZoneOffset.UTC);

        ProjectionDigests d = Digests.checkpoint(store, clock);

        String at = "2026-02-01T10:00:00.000000Z";
        assertThat(store.digestCheckpoint("context_graph")).contains(new DigestCheckpoint("context_graph", d.contextGraph(), 9, at));
        assertThat(store.digestCheckpoint("trace_summary")).contains(new DigestCheckpoint("trace_summary", d.traceSummary(), 4, at));
        assertThat(store.digestCheckpoint("precedent_index")).contains(new DigestCheckpoint("precedent_index", d.precedentIndex(), 6, at));
        assertThat(store.digestCheckpoint(ProjectionName.FULL_PROJECTION))
                .contains(new DigestCheckpoint("full_projection", d.fullProjection(), 4, at));
        assertThat(d).isEqualTo(Digests.compute(store));
        // the context graph is complete, so its digest is the golden one
        assertThat(d.contextGraph()).isEqualTo(Fixtures.scenarios().getFirst().getObject("expected_digests").getString("context_graph"));
    }
}
