package org.decisiongraph.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonWriter;
import org.junit.jupiter.api.Test;

/** The direct event-hash encoder equals the canonical JSON of the documented hashed object. */
class ChainHashPropertiesTest {
    private static StoredEvent event(String a, String b, String c, List<String> tags, long n) {
        EventEnvelope e = new EventEnvelope("ev-" + a, "tr-" + b, n, "EntityObserved", "2026-01-01T00:00:00Z",
                new Source("p-" + c, "sys" + a, n % 2 == 0 ? null : "sub" + b), new Actor("agent" + c, a),
                "k" + b, Json.obj("x", Json.of(1)), n % 3 == 0 ? null : c, n % 5 == 0 ? null : "cause" + a, n, tags);
        return new StoredEvent("tenant-" + c, n + 1, "2026-03-01T12:00:00.000001Z", "sha256:" + "0".repeat(64), e);
    }

    @Property(tries = 500)
    void directEncodingEqualsTheCanonicalWriter(
            @ForAll @Chars({'"', '\\', '\n', '\u0001', '\u007f', 'é', '\u2028', 'a', ' ', '/'})
            @CharRange(from = '\uac00', to = '\uac10') String a,
            @ForAll String b, @ForAll @Size(max = 4) List<@CharRange(from = ' ', to = '~') String> tags,
            @ForAll("printable") String c, @ForAll long n) {
        if (JsonWriter.hasLoneSurrogate(b)) {
            return;
        }
        StoredEvent s = event(a, b, c, tags, Math.abs(n % 1_000_000));
        assertThat(ChainHash.canonicalText(s)).isEqualTo(JsonWriter.canonical(ChainHash.hashedFields(s)));
        assertThat(ChainHash.eventHash(s)).isEqualTo(Hashing.payloadHash(ChainHash.hashedFields(s)));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> printable() {
        return net.jqwik.api.Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20);
    }

    @Test
    void goldenEventsEncodeAlike() {
        long seq = 1;
        for (Fixtures.Scenario sc : Fixtures.goldenScenarios()) {
            for (EventEnvelope e : sc.events()) {
                StoredEvent s = new StoredEvent("default", seq++, "2026-03-01T12:00:00.000000Z",
                        Hashing.payloadHash(e.payload()), e);
                assertThat(ChainHash.canonicalText(s)).isEqualTo(JsonWriter.canonical(ChainHash.hashedFields(s)));
            }
        }
        assertThat(seq).isEqualTo(41);
    }
}
