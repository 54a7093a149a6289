package org.decisiongraph.cli.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.StoredEvent;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.log.EventLog;

/**
 * Reads the input of {@code dg import} as a stream of envelopes, each with its input index: JSON Lines
 * (one envelope per line; blank lines skipped), a JSON document with an {@code events} array (a golden
 * scenario's {@code events.json}), a fixture bundle ({@code scenarios[*].events} in bundle order), or a
 * SQLite file (reference layout or ours: tenant {@code default}, in {@code log_seq} order). A line or
 * element that is not a valid envelope becomes an item carrying its {@code DG_ERR_INVALID_ARGUMENT}.
 *
 * <p>Import's own reader: the JSON formats should move to the shared event-file reader of {@code core}
 * once it exists.
 */
final class ImportFileReader implements Iterator<ImportFileReader.Item>, AutoCloseable {
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** One input event: its envelope, or why it is not one. */
    record Item(int index, EventEnvelope envelope, DgException error) {
    }

    private final Iterator<Item> items;
    private final AutoCloseable resource;

    private ImportFileReader(Iterator<Item> items, AutoCloseable resource) {
        this.items = items;
        this.resource = resource;
    }

    /** Detects the format of {@code file}; IO problems and unrecognised documents throw {@link IOException}. */
    static ImportFileReader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("'" + file + "' is not a readable file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SQLITE_MAGIC.length);
        }
        if (Arrays.equals(head, SQLITE_MAGIC)) {
            return sqlite(file);
        }
        InputStream in = Files.newInputStream(file);
        LineReader lines = new LineReader(in);
        byte[] first = lines.next();
        while (first != null && isBlank(first)) {
            first = lines.next();
        }
        if (first == null) {
            in.close();
            return new ImportFileReader(List.<Item>of().iterator(), () -> { });
        }
        String firstText = new String(first, StandardCharsets.UTF_8).strip();
        if (firstText.startsWith("{")) {
            Json firstLine = tryParse(first);
            if (firstLine instanceof JsonObject o && !isDocument(o)) {
                return new ImportFileReader(jsonLines(first, lines), in);
            }
        }
        in.close();
        Json document = tryParse(Files.readAllBytes(file));
        if (document instanceof JsonObject o && isDocument(o)) {
            return new ImportFileReader(documentItems(o), () -> { });
        }
        if (document instanceof JsonArray a) {
            return new ImportFileReader(elements(a.items(), new int[] {0}).iterator(), () -> { });
        }
        if (document != null) {
            throw new IOException("'" + file + "' is neither JSON Lines, an events document nor a fixture bundle");
        }
        // not one JSON document: JSON Lines, where each bad line is reported on its own
        InputStream again = Files.newInputStream(file);
        LineReader relines = new LineReader(again);
        return new ImportFileReader(jsonLines(null, relines), again);
    }

    private static boolean isDocument(JsonObject o) {
        return !o.has("event_id") && (o.getArray("events") != null || o.getArray("scenarios") != null);
    }

    private static Json tryParse(byte[] bytes) {
        try {
            return JsonParser.parse(bytes);
        } catch (DgException e) {
            return null;
        }
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static Item item(int index, Json json) {
        try {
            return new Item(index, EnvelopeJson.fromJson(json), null);
        } catch (DgException e) {
            return new Item(index, null, e);
        }
    }

    private static Iterator<Item> documentItems(JsonObject doc) {
        int[] index = {0};
        List<Item> out = new ArrayList<>();
        JsonArray scenarios = doc.getArray("scenarios");
        if (scenarios != null) {
            for (Json s : scenarios) {
                JsonArray events = s instanceof JsonObject o ? o.getArray("events") : null;
                if (events != null) {
                    out.addAll(elements(events.items(), index));
                }
            }
        } else {
            out.addAll(elements(doc.getArray("events").items(), index));
        }
        return out.iterator();
    }

    private static List<Item> elements(List<Json> events, int[] index) {
        List<Item> out = new ArrayList<>(events.size());
        for (Json e : events) {
            out.add(item(index[0]++, e));
        }
        return out;
    }

    private static Iterator<Item> jsonLines(byte[] first, LineReader lines) {
        return new Iterator<>() {
            private byte[] pending = first;
            private int index;

            @Override
            public boolean hasNext() {
                while (pending == null || isBlank(pending)) {
                    try {
                        pending = lines.next();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    if (pending == null) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public Item next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] line = pending;
                pending = null;
                int i = index++;
                try {
                    return item(i, JsonParser.parse(line));
                } catch (DgException e) {
                    return new Item(i, null, e);
                }
            }
        };
    }

    private static ImportFileReader sqlite(Path file) {
        Database db = Database.sqliteReadOnly(file);
        EventLog log = EventLog.open(db, org.decisiongraph.core.event.EventTypeSet.PLATFORM, java.time.Clock.systemUTC());
        Iterator<List<StoredEvent>> pages = log.batches(EventLog.DEFAULT_TENANT, 0, null, EventLog.DEFAULT_BATCH_SIZE).iterator();
        Iterator<Item> items = new Iterator<>() {
            private Iterator<StoredEvent> page = List.<StoredEvent>of().iterator();
            private int index;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && pages.hasNext()) {
                    page = pages.next().iterator();
                }
                return page.hasNext();
            }

            @Override
            public Item next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return new Item(index++, page.next().envelope(), null);
            }
        };
        return new ImportFileReader(items, db);
    }

    @Override
    public boolean hasNext() {
        return items.hasNext();
    }

    @Override
    public Item next() {
        return items.next();
    }

    @Override
    public void close() throws Exception {
        resource.close();
    }

    /** Splits a byte stream on {@code \n} (a trailing {@code \r} stays; it is JSON whitespace). */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int len;
        private boolean eof;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** The next line without its {@code \n}, or null at the end. */
        byte[] next() throws IOException {
            ByteArrayOutputStream longLine = null;
            while (true) {
                if (pos == len) {
                    if (eof) {
                        return longLine == null ? null : longLine.toByteArray();
                    }
                    len = in.read(buf);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        eof = true;
                        continue;
                    }
                }
                int start = pos;
                while (pos < len && buf[pos] != '\n') {
                    pos++;
                }
                if (pos < len) {
                    byte[] line;
                    if (longLine == null) {
                        line = Arrays.copyOfRange(buf, start, pos);
                    } else {
                        longLine.write(buf, start, pos - start);
                        line = longLine.toByteArray();
                    }
                    pos++;
                    return line;
                }
                if (longLine == null) {
                    longLine = new ByteArrayOutputStream(Math.max(256, (pos - start) * 2));
                }
                longLine.write(buf, start, pos - start);
            }
        }
    }
}
