package org.decisiongraph.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.core.CoreFixtures;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFilesTest {
    @TempDir
    Path dir;

    private static final List<JsonObject> BUNDLE_EVENTS = CoreFixtures.bundleEvents();

    private static String line(int i) {
        return JsonWriter.canonicalLenient(BUNDLE_EVENTS.get(i));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static List<EventFiles.Item> readAll(Path p) throws IOException {
        return EventFiles.readAll(p);
    }

    private static EventEnvelope parsed(EventFiles.Item item) {
        assertThat(item).isInstanceOf(EventFiles.Parsed.class);
        return ((EventFiles.Parsed) item).envelope();
    }

    private static DgException invalid(EventFiles.Item item) {
        assertThat(item).isInstanceOf(EventFiles.Invalid.class);
        DgException e = ((EventFiles.Invalid) item).error();
        assertThat(e.code()).isEqualTo(ErrorCode.DG_ERR_INVALID_ARGUMENT);
        return e;
    }

    @Test
    void theFixtureBundleYieldsItsScenariosEventsInBundleOrder() throws IOException {
        try (EventFiles.Reader r = EventFiles.open(CoreFixtures.file(CoreFixtures.BUNDLE))) {
            assertThat(r.format()).isEqualTo(EventFiles.Format.FIXTURE_BUNDLE);
            List<EventFiles.Item> items = new ArrayList<>();
            r.forEachRemaining(items::add);
            assertThat(items).hasSize(40);
            for (int i = 0; i < 40; i++) {
                assertThat(items.get(i).index()).isEqualTo(i);
                assertThat(EnvelopeJson.toJson(parsed(items.get(i)))).isEqualTo(BUNDLE_EVENTS.get(i));
            }
            assertThat(items.get(0).location()).isEqualTo("$.scenarios[0].events[0]");
            assertThat(items.get(9).location()).isEqualTo("$.scenarios[1].events[0]");
        }
    }

    @Test
    void anEventsDocumentPrettyOrOnOneLine() throws IOException {
        JsonObject doc = Json.obj("scenario", Json.of("renewal"), "trace_id", Json.of("t"),
                "events", Json.array(List.of(BUNDLE_EVENTS.get(0), BUNDLE_EVENTS.get(1), Json.of("not an envelope"))));
        for (String text : List.of(JsonWriter.prettyRaw(doc) + "\n", JsonWriter.canonicalLenient(doc), "\n\n  " + JsonWriter.pretty(doc))) {
            Path p = write("events.json", text);
            try (EventFiles.Reader r = EventFiles.open(p)) {
                assertThat(r.format()).isEqualTo(EventFiles.Format.EVENTS_DOCUMENT);
            }
            List<EventFiles.Item> items = readAll(p);
            assertThat(items).hasSize(3);
            assertThat(parsed(items.get(0)).eventId()).isEqualTo(BUNDLE_EVENTS.get(0).getString("event_id"));
            assertThat(items.get(1).location()).isEqualTo("$.events[1]");
            assertThat(invalid(items.get(2)).message()).isEqualTo("Event envelope must be a JSON object");
            assertThat(items.get(2).index()).isEqualTo(2);
        }
    }

    @Test
    void jsonLinesKeepGoingPastBadLines() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // a byte order mark is tolerated
        out.writeBytes((line(0) + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes("\n   \t\n".getBytes(StandardCharsets.UTF_8)); // blank lines: skipped, still counted as lines
        out.writeBytes("{\"event_id\": tru}\n".getBytes(StandardCharsets.UTF_8)); // line 4
        out.writeBytes("[1,2]\n".getBytes(StandardCharsets.UTF_8)); // line 5
        out.writeBytes("{\"event_id\":\"e\"}\n".getBytes(StandardCharsets.UTF_8)); // line 6
        out.writeBytes(new byte[] {'{', '"', (byte) 0xC3, '"', '}', '\n'}); // line 7: invalid UTF-8
        out.writeBytes((line(1) + "\n").getBytes(StandardCharsets.UTF_8)); // line 8
        out.writeBytes(line(2).getBytes(StandardCharsets.UTF_8)); // line 9, no final newline
        List<EventFiles.Item> items = readAll(write("events.jsonl", out.toByteArray()));

        assertThat(items).hasSize(7);
        assertThat(items).extracting(EventFiles.Item::index).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(items).extracting(EventFiles.Item::location)
                .containsExactly("line 1", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9");
        assertThat(EnvelopeJson.toJson(parsed(items.get(0)))).isEqualTo(BUNDLE_EVENTS.get(0));
        assertThat(invalid(items.get(1)).message()).isEqualTo("Invalid JSON: invalid literal at line 4 column 14");
        assertThat(invalid(items.get(2)).message()).isEqualTo("Event envelope must be a JSON object");
        assertThat(invalid(items.get(3)).message()).isEqualTo("Missing required envelope field 'trace_id'");
        assertThat(invalid(items.get(4)).message()).isEqualTo("Invalid JSON: input is not valid UTF-8 at byte offset 2 of line 7");
        assertThat(EnvelopeJson.toJson(parsed(items.get(5)))).isEqualTo(BUNDLE_EVENTS.get(1));
        assertThat(EnvelopeJson.toJson(parsed(items.get(6)))).isEqualTo(BUNDLE_EVENTS.get(2));
    }

    @Test
    void aBrokenFirstLineFollowedByAnEventIsJsonLines() throws IOException {
        Path p = write("x.jsonl", "{\"event_id\": \"cut off\",\n" + line(0) + "\n");
        try (EventFiles.Reader r = EventFiles.open(p)) {
            assertThat(r.format()).isEqualTo(EventFiles.Format.JSON_LINES);
        }
        List<EventFiles.Item> items = readAll(p);
        assertThat(items).hasSize(2);
        assertThat(invalid(items.get(0)).message()).isEqualTo("Invalid JSON: unexpected end of input in object at line 1 column 24");
        assertThat(parsed(items.get(1)).eventId()).isEqualTo(BUNDLE_EVENTS.get(0).getString("event_id"));
    }

    @Test
    void documentsThatCannotBeReadAreErrorsOfTheFile() throws IOException {
        assertThatThrownBy(() -> readAll(write("a.json", "{\n  \"events\": [\n    {\"a\": 1},\n    oops\n  ]\n}\n")))
                .isInstanceOf(DgException.class).hasMessage("Invalid JSON: unexpected character 'o' at line 4 column 5");
        assertThatThrownBy(() -> readAll(write("b.json", "{\n  \"format\": \"something.else\",\n  \"scenarios\": []\n}\n")))
                .hasMessage("Unsupported document format \"something.else\": expected 'decisiongraph.reference_fixture_bundle'");
        assertThatThrownBy(() -> readAll(write("c.json", "{\n  \"eventz\": []\n}\n")))
                .hasMessage("Not an event file: expected JSON Lines, a JSON object with an 'events' list, or a fixture bundle");
        assertThatThrownBy(() -> readAll(write("d.json", "{\"format\":\"decisiongraph.reference_fixture_bundle\",\"scenarios\":[{\"events\":{}}]}")))
                .hasMessage("Invalid fixture bundle: '$.scenarios[0].events' must be a list");
        assertThatThrownBy(() -> readAll(write("e.json", "{\"events\":[]}\n{\"events\":[]}\n")))
                .hasMessage("Invalid JSON: unexpected content after the JSON document at line 2");
        assertThatThrownBy(() -> readAll(dir.resolve("missing.jsonl"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void emptyAndBlankFilesHaveNoEvents() throws IOException {
        assertThat(readAll(write("empty.jsonl", ""))).isEmpty();
        assertThat(readAll(write("blank.jsonl", "\n \n\t\r\n"))).isEmpty();
        assertThat(readAll(write("doc.json", "{\"events\": []}"))).isEmpty();
    }

    @Test
    void longLinesSpanningReadBuffers() throws IOException {
        String big = "x".repeat(300_000) + "é😀";
        JsonObject e = BUNDLE_EVENTS.get(8).with("payload", Json.obj("outcome", Json.of(big)));
        List<EventFiles.Item> items = readAll(write("big.jsonl", JsonWriter.canonicalLenient(e) + "\n" + line(0) + "\n"));
        assertThat(items).hasSize(2);
        assertThat(((JsonObject) parsed(items.get(0)).payload()).getString("outcome")).isEqualTo(big);
        assertThat(parsed(items.get(1)).eventId()).isEqualTo(BUNDLE_EVENTS.get(0).getString("event_id"));
    }

    /** JSON Lines are read lazily: an endless input still yields its first events. */
    @Test
    void jsonLinesAreStreamed() throws IOException {
        byte[] one = (line(3) + "\n").getBytes(StandardCharsets.UTF_8);
        InputStream endless = new InputStream() {
            private long pos;

            @Override
            public int read() {
                return one[(int) (pos++ % one.length)] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) read();
                }
                return len;
            }
        };
        try (EventFiles.Reader r = EventFiles.open(endless)) {
            for (int i = 0; i < 10_000; i++) {
                EventFiles.Item item = r.next();
                assertThat(item.index()).isEqualTo(i);
                assertThat(item.location()).isEqualTo("line " + (i + 1));
                assertThat(parsed(item).eventId()).isEqualTo(BUNDLE_EVENTS.get(3).getString("event_id"));
            }
            assertThat(r.hasNext()).isTrue();
        }
    }
}
