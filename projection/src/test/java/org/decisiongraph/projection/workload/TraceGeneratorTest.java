package org.decisiongraph.projection.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.validate.EventValidator;
import org.junit.jupiter.api.Test;

class TraceGeneratorTest {

    private static Map<String, List<EventEnvelope>> byTrace(List<EventEnvelope> events) {
        return events.stream().collect(Collectors.groupingBy(EventEnvelope::traceId));
    }

    @Test
    void realisticTracesAreValidCompleteAndDeterministic() {
        TraceGenerator.Config config = TraceGenerator.Config.realistic(42, 400);
        List<EventEnvelope> events = TraceGenerator.generate(config);
        EventValidator validator = new EventValidator(EventTypeSet.REFERENCE);
        events.forEach(validator::validate);

        Map<String, List<EventEnvelope>> traces = byTrace(events);
        assertThat(traces).hasSize(400);
        for (List<EventEnvelope> trace : traces.values()) {
            assertThat(trace.size()).isBetween(7, 10);
            for (int i = 0; i < trace.size(); i++) {
                assertThat(trace.get(i).traceSeq()).isEqualTo(i);
            }
            assertThat(trace.getFirst().eventType()).isEqualTo("TraceStarted");
            assertThat(trace.getLast().eventType()).isEqualTo("TraceFinished");
        }
        assertThat(new HashSet<>(events.stream().map(EventEnvelope::eventId).toList())).hasSize(events.size());
        // interleaved: some trace is not contiguous in the stream
        long switches = java.util.stream.IntStream.range(1, events.size())
                .filter(i -> !events.get(i).traceId().equals(events.get(i - 1).traceId())).count();
        assertThat(switches).isGreaterThan(traces.size());
        assertThat(events.stream().filter(e -> e.eventType().equals("ExceptionRequested")).count()).isBetween(60L, 200L);
        assertThat(events.stream().filter(e -> e.eventType().equals("PrecedentCited")).count()).isBetween(30L, 150L);

        assertThat(TraceGenerator.generate(config)).isEqualTo(events);
        assertThat(TraceGenerator.generate(TraceGenerator.Config.realistic(43, 400))).isNotEqualTo(events);
    }

    @Test
    void entityDistributionIsSkewed() {
        List<EventEnvelope> events = TraceGenerator.generate(TraceGenerator.Config.realistic(7, 2000));
        Map<String, Integer> counts = new HashMap<>();
        for (EventEnvelope e : events) {
            if (e.eventType().equals("TraceStarted")) {
                String id = ((JsonObject) e.payload()).getObject("primary_entity").getString("entity_id");
                counts.merge(id, 1, Integer::sum);
            }
        }
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        // 2000 starts over a pool of 500: uniform would give about 4 per entity
        assertThat(max).isGreaterThan(40);
        assertThat(counts.size()).isGreaterThan(50);
    }

    @Test
    void testOptionsStillProduceValidPlatformEvents() {
        TraceGenerator.Config config = TraceGenerator.Config.realistic(3, 300).withShape(5, 20, 4)
                .withRates(0.5, 0.5, 0.3, 0.2, 0.5).withUnicode(true);
        List<EventEnvelope> events = TraceGenerator.generate(config);
        EventValidator validator = new EventValidator(EventTypeSet.PLATFORM);
        events.forEach(validator::validate);
        assertThat(events).anyMatch(e -> e.eventType().equals("WorkflowReviewRequested"));
        assertThat(events).anyMatch(e -> e.payload().toString().chars().anyMatch(c -> c > 0x7f));
        Map<String, List<EventEnvelope>> traces = byTrace(events);
        assertThat(traces.values()).anyMatch(t -> !t.getLast().eventType().equals("TraceFinished"));
        assertThat(traces.values()).anyMatch(t -> t.getLast().eventType().equals("TraceFinished"));
    }
}
