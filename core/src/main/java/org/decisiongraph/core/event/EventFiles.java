package org.decisiongraph.core.event;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;

/**
 * Reads event envelopes from the files that {@code dg validate} and {@code dg import} accept:
 * <ul>
 * <li><b>JSON Lines</b>: one envelope object per line, blank lines skipped. Streamed: memory does not
 *     grow with the file.</li>
 * <li>a <b>JSON document with an {@code events} array</b> (a golden scenario's {@code events.json});</li>
 * <li>the <b>fixture bundle</b> ({@code "format": "decisiongraph.reference_fixture_bundle"}): the events of
 *     its scenarios, in bundle order.</li>
 * </ul>
 * Detection: a first non-blank line that opens an object without closing it starts a multi-line
 * document, unless the next non-blank line is itself a complete object (then the file is JSON Lines
 * whose first line is broken). A first line that is a complete object with a {@code format} or
 * {@code events} member is a one-line document. Anything else is JSON Lines.
 *
 * <p>Every input event yields one {@link Item}, in input order: the parsed envelope, or the
 * {@code DG_ERR_INVALID_ARGUMENT} error for that line or array element (a malformed line does not stop
 * the reading). Only a document that cannot be parsed as a whole is an error of the file itself,
 * thrown by {@link #open}. Envelopes are read with {@link EnvelopeJson} (JSON types and defaults only);
 * the semantic checks are the validator's.
 */
public final class EventFiles {
    /** The {@code format} value of the reference fixture bundle. */
    public static final String BUNDLE_FORMAT = "decisiongraph.reference_fixture_bundle";

    private EventFiles() {
    }

    /** The layout of an input file. */
    public enum Format { JSON_LINES, EVENTS_DOCUMENT, FIXTURE_BUNDLE }

    /** One input event: its 0-based position among the file's events and where it was found. */
    public sealed interface Item permits Parsed, Invalid {
        long index();

        /** {@code line <n>} (1-based, JSON Lines) or a path such as {@code $.scenarios[0].events[3]}. */
        String location();
    }

    public record Parsed(long index, String location, EventEnvelope envelope) implements Item {
    }

    public record Invalid(long index, String location, DgException error) implements Item {
    }

    /**
     * Opens a file and detects its format. Throws {@link IOException} when it cannot be read and
     * {@code DG_ERR_INVALID_ARGUMENT} when it is a JSON document that cannot be parsed or is neither an
     * events document nor a fixture bundle.
     */
    public static Reader open(Path file) throws IOException {
        return open(Files.newInputStream(file));
    }

    /** As {@link #open(Path)}, over a stream (for example stdin); the reader closes it, also when opening fails. */
    public static Reader open(InputStream in) throws IOException {
        Lines lines = new Lines(in);
        try {
            return new Reader(lines);
        } catch (IOException | RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    /** The items of one input, in order. {@link #hasNext} throws {@link UncheckedIOException} on read errors. */
    public static final class Reader implements Iterator<Item>, AutoCloseable {
        private final Lines lines;
        private final Format format;
        private final ArrayDeque<Item> ready = new ArrayDeque<>();
        private long nextIndex;

        private Reader(Lines lines) throws IOException {
            this.lines = lines;
            Lines.Line first = lines.nextNonBlank();
            if (first == null) {
                format = Format.JSON_LINES;
                return;
            }
            String firstText = first.trimmedText();
            if (firstText != null && firstText.startsWith("{") && !firstText.endsWith("}")) {
                Lines.Line second = lines.nextNonBlank();
                if (second != null && isCompleteObject(second)) {
                    format = Format.JSON_LINES;
                    ready.add(lineItem(first));
                    ready.add(lineItem(second));
                } else {
                    JsonObject doc = parseDocument(first, second);
                    format = documentItems(doc);
                }
                return;
            }
            Json firstValue = null;
            DgException firstError = null;
            try {
                firstValue = first.parse();
            } catch (DgException e) {
                firstError = e;
            }
            if (firstValue instanceof JsonObject o && (o.has("format") || o.has("events"))) {
                if (lines.nextNonBlank() != null) {
                    throw DgErrors.invalidArgument("Invalid JSON: unexpected content after the JSON document at line "
                            + lines.lineNumber());
                }
                format = documentItems(o);
                return;
            }
            format = Format.JSON_LINES;
            ready.add(firstError != null ? invalid("line " + first.number(), firstError) : envelopeItem("line " + first.number(), firstValue));
        }

        public Format format() {
            return format;
        }

        @Override
        public boolean hasNext() {
            if (!ready.isEmpty()) {
                return true;
            }
            if (format != Format.JSON_LINES) {
                return false;
            }
            try {
                Lines.Line line = lines.nextNonBlank();
                if (line == null) {
                    return false;
                }
                ready.add(lineItem(line));
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Item next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }

        private Item lineItem(Lines.Line line) {
            String location = "line " + line.number();
            Json value;
            try {
                value = line.parse();
            } catch (DgException e) {
                return invalid(location, e);
            }
            return envelopeItem(location, value);
        }

        private Item envelopeItem(String location, Json value) {
            long index = nextIndex++;
            try {
                return new Parsed(index, location, EnvelopeJson.fromJson(value));
            } catch (DgException e) {
                return new Invalid(index, location, e);
            }
        }

        private Item invalid(String location, DgException error) {
            return new Invalid(nextIndex++, location, error);
        }

        private boolean isCompleteObject(Lines.Line line) {
            String t = line.trimmedText();
            if (t == null || !t.startsWith("{") || !t.endsWith("}")) {
                return false;
            }
            try {
                return line.parse() instanceof JsonObject;
            } catch (DgException e) {
                return false;
            }
        }

        /** Reads the rest of the input and parses the whole text as one JSON document. */
        private JsonObject parseDocument(Lines.Line first, Lines.Line second) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            first.appendRawTo(all);
            if (second != null) {
                second.appendRawTo(all);
            }
            lines.drainTo(all);
            byte[] bytes = all.toByteArray();
            String text = JsonParser.decodeUtf8(bytes);
            // Line numbers of the document are those of the file (blank lines before it are counted).
            Json doc = JsonParser.parse(text, first.number());
            if (!(doc instanceof JsonObject o)) {
                throw notAnEventFile();
            }
            return o;
        }

        private Format documentItems(JsonObject doc) {
            Json format = doc.get("format");
            if (format != null) {
                if (!BUNDLE_FORMAT.equals(doc.getString("format"))) {
                    throw DgErrors.invalidArgument("Unsupported document format " + JsonWriter.canonicalLenient(format)
                            + ": expected '" + BUNDLE_FORMAT + "'");
                }
                JsonArray scenarios = doc.getArray("scenarios");
                if (scenarios == null) {
                    throw DgErrors.invalidArgument("Invalid fixture bundle: 'scenarios' must be a list");
                }
                for (int s = 0; s < scenarios.size(); s++) {
                    JsonArray events = scenarios.get(s) instanceof JsonObject sc ? sc.getArray("events") : null;
                    if (events == null) {
                        throw DgErrors.invalidArgument("Invalid fixture bundle: '$.scenarios[" + s + "].events' must be a list");
                    }
                    addAll(events, "$.scenarios[" + s + "].events");
                }
                return Format.FIXTURE_BUNDLE;
            }
            JsonArray events = doc.getArray("events");
            if (events == null) {
                throw notAnEventFile();
            }
            addAll(events, "$.events");
            return Format.EVENTS_DOCUMENT;
        }

        private void addAll(JsonArray events, String path) {
            for (int i = 0; i < events.size(); i++) {
                ready.add(envelopeItem(path + "[" + i + "]", events.get(i)));
            }
        }

        private static DgException notAnEventFile() {
            return DgErrors.invalidArgument(
                    "Not an event file: expected JSON Lines, a JSON object with an 'events' list, or a fixture bundle");
        }
    }

    /** All items of a file, for small inputs and tests (JSON Lines is streamed by {@link #open} instead). */
    public static List<Item> readAll(Path file) throws IOException {
        List<Item> out = new ArrayList<>();
        try (Reader r = open(file)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }
}
