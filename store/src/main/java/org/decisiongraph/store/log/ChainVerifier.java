package org.decisiongraph.store.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.sql.Tx;

/**
 * The fast recomputation of a tenant's chain ({@link AuditChain#verify}). A page of rows is read as plain column
 * arrays (no payload, no {@code StoredEvent}); every link is checked independently and in parallel against the
 * stored chain hash before it ({@code link(stored(n-1), event_hash(n)) == stored(n)}), which holds for every n
 * exactly when the chain recomputed sequentially from genesis equals the stored one; the first failing n is the
 * first broken link. Each worker thread reuses one digest and one byte buffer: the canonical JSON of the event
 * hash is written straight into bytes. A sequential pass over the log_seq values links gaps through retention
 * tombstones first. The next page is read while the current one is hashed.
 */
final class ChainVerifier {
    /** Rows per parallel task. */
    private static final int CHUNK = 512;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREFIX = Hashing.PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<Hasher> HASHERS = ThreadLocal.withInitial(Hasher::new);

    private static final String COLUMNS = "log_seq, event_id, trace_id, trace_seq, event_type, occurred_at, recorded_at,"
            + " producer_id, system, subsystem, actor_type, actor_id, correlation_id, causation_event_id,"
            + " idempotency_key, schema_version, payload_hash, tags_json, chain_hash";

    /** One page of rows, column-major. */
    static final class Page {
        final long[] logSeq;
        final long[] traceSeq;
        final long[] schemaVersion;
        /** [column][row]: the string columns in {@link #COLUMNS} order, without the three integers, as stored UTF-8. */
        final byte[][][] text;
        final int size;
        final String tenant;
        final byte[] tenantBytes;

        Page(String tenant, int capacity) {
            this.tenant = tenant;
            this.tenantBytes = tenant.getBytes(StandardCharsets.UTF_8);
            logSeq = new long[capacity];
            traceSeq = new long[capacity];
            schemaVersion = new long[capacity];
            text = new byte[16][capacity][];
            size = 0;
        }

        private Page(String tenant, long[] logSeq, long[] traceSeq, long[] schemaVersion, byte[][][] text, int size) {
            this.tenant = tenant;
            this.tenantBytes = tenant.getBytes(StandardCharsets.UTF_8);
            this.logSeq = logSeq;
            this.traceSeq = traceSeq;
            this.schemaVersion = schemaVersion;
            this.text = text;
            this.size = size;
        }

        int size() {
            return size;
        }

        long lastLogSeq() {
            return logSeq[size - 1];
        }

        String chain(int i) {
            byte[] b = text[T_CHAIN][i];
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }

        byte[] chainBytes(int i) {
            return text[T_CHAIN][i];
        }
    }

    // indexes into Page.text
    private static final int T_EVENT_ID = 0;
    private static final int T_TRACE_ID = 1;
    private static final int T_EVENT_TYPE = 2;
    private static final int T_OCCURRED = 3;
    private static final int T_RECORDED = 4;
    private static final int T_PRODUCER = 5;
    private static final int T_SYSTEM = 6;
    private static final int T_SUBSYSTEM = 7;
    private static final int T_ACTOR_TYPE = 8;
    private static final int T_ACTOR_ID = 9;
    private static final int T_CORRELATION = 10;
    private static final int T_CAUSATION = 11;
    private static final int T_IDEM = 12;
    private static final int T_PAYLOAD_HASH = 13;
    private static final int T_TAGS = 14;
    private static final int T_CHAIN = 15;

    /** Rows of the tenant with {@code after < log_seq <= to}, at most {@code limit}, in log_seq order. */
    static Page read(Tx tx, String tenant, long after, long to, int limit) {
        return tx.read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + COLUMNS + " FROM dg_event_log"
                    + " WHERE tenant_id = ? AND log_seq > ? AND log_seq <= ? ORDER BY log_seq LIMIT " + limit);
            ps.setString(1, tenant);
            ps.setLong(2, after);
            ps.setLong(3, to);
            ps.setFetchSize(limit);
            return readPage(ps, tenant, limit);
        });
    }

    private static Page readPage(PreparedStatement ps, String tenant, int limit) throws SQLException {
        Page p = new Page(tenant, limit);
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                p.logSeq[n] = rs.getLong(1);
                p.text[T_EVENT_ID][n] = rs.getBytes(2);
                p.text[T_TRACE_ID][n] = rs.getBytes(3);
                p.traceSeq[n] = rs.getLong(4);
                p.text[T_EVENT_TYPE][n] = rs.getBytes(5);
                p.text[T_OCCURRED][n] = rs.getBytes(6);
                p.text[T_RECORDED][n] = rs.getBytes(7);
                p.text[T_PRODUCER][n] = rs.getBytes(8);
                p.text[T_SYSTEM][n] = rs.getBytes(9);
                p.text[T_SUBSYSTEM][n] = rs.getBytes(10);
                p.text[T_ACTOR_TYPE][n] = rs.getBytes(11);
                p.text[T_ACTOR_ID][n] = rs.getBytes(12);
                p.text[T_CORRELATION][n] = rs.getBytes(13);
                p.text[T_CAUSATION][n] = rs.getBytes(14);
                p.text[T_IDEM][n] = rs.getBytes(15);
                p.schemaVersion[n] = rs.getLong(16);
                p.text[T_PAYLOAD_HASH][n] = rs.getBytes(17);
                p.text[T_TAGS][n] = rs.getBytes(18);
                p.text[T_CHAIN][n] = rs.getBytes(19);
                n++;
            }
        }
        return new Page(tenant, p.logSeq, p.traceSeq, p.schemaVersion, p.text, n);
    }

    private final NavigableMap<Long, AuditChain.Tombstone> removed;
    private final String tenant;
    private String prev = ChainHash.GENESIS;
    private long expectedSeq = 1;
    private long checked;
    private long lastSeq;
    private AuditChain.Break firstBreak;

    ChainVerifier(String tenant, NavigableMap<Long, AuditChain.Tombstone> removed) {
        this.tenant = tenant;
        this.removed = removed;
    }

    AuditChain.Report report() {
        return new AuditChain.Report(tenant, checked, lastSeq, prev, firstBreak);
    }

    /** Links the tombstones of the missing log_seq values before {@code seq}; false at the first problem. */
    private boolean bridge(long seq, String nextStored) {
        while (expectedSeq < seq) {
            AuditChain.Tombstone t = removed.get(expectedSeq);
            if (t == null) {
                firstBreak = new AuditChain.Break(expectedSeq, null, null, "log_seq " + expectedSeq + " is missing ("
                        + nextStored + ")");
                return false;
            }
            String expected = ChainHash.link(prev, t.eventHash());
            if (!expected.equals(t.chainHash())) {
                firstBreak = new AuditChain.Break(expectedSeq, expected, t.chainHash(),
                        "the retention tombstone's chain_hash " + t.chainHash() + " != recomputed " + expected);
                return false;
            }
            prev = expected;
            lastSeq = expectedSeq;
            expectedSeq++;
            checked++;
        }
        return true;
    }

    /** Verifies one page after the previous ones; false (and {@link #report} has the break) at the first problem. */
    boolean fold(Page page) {
        int n = page.size();
        byte[][] prevs = new byte[n][];
        int structural = n; // rows before this index have a known predecessor
        // sequential: predecessors (through tombstones), without hashing the rows
        String savedPrev = prev;
        long savedExpected = expectedSeq;
        long savedChecked = checked;
        long savedLast = lastSeq;
        byte[] prevBytes = prev.getBytes(StandardCharsets.UTF_8);
        int lastRow = -1; // prev is the chain hash of this row (-1: prevBytes already equals prev)
        for (int i = 0; i < n; i++) {
            long seq = page.logSeq[i];
            if (seq < expectedSeq) {
                structural = i;
                firstBreak = new AuditChain.Break(seq, null, null, "log_seq " + seq + " is out of order");
                break;
            }
            if (seq != expectedSeq) {
                if (lastRow >= 0) {
                    prev = page.chain(lastRow) == null ? "" : page.chain(lastRow);
                    lastRow = -1;
                }
                if (!bridge(seq, "next stored log_seq is " + seq)) {
                    structural = i;
                    break;
                }
                prevBytes = prev.getBytes(StandardCharsets.UTF_8);
            }
            prevs[i] = prevBytes;
            prevBytes = page.chainBytes(i) == null ? new byte[0] : page.chainBytes(i);
            lastRow = i;
            expectedSeq = seq + 1;
            lastSeq = seq;
        }
        if (lastRow >= 0) {
            prev = page.chain(lastRow) == null ? "" : page.chain(lastRow);
        }
        AuditChain.Break structuralBreak = firstBreak;
        // parallel: every row's link against its stored predecessor
        int rows = structural;
        AtomicInteger firstBad = new AtomicInteger(Integer.MAX_VALUE);
        int chunks = (rows + CHUNK - 1) / CHUNK;
        IntStream ids = IntStream.range(0, chunks);
        (chunks > 1 ? ids.parallel() : ids).forEach(c -> {
            Hasher hasher = HASHERS.get();
            int end = Math.min(rows, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
                if (i > firstBad.get()) {
                    return;
                }
                if (!hasher.linkMatches(page, i, prevs[i])) {
                    firstBad.accumulateAndGet(i, Math::min);
                    return;
                }
            }
        });
        int bad = firstBad.get();
        if (bad != Integer.MAX_VALUE) {
            // recount sequentially up to the bad row: its predecessors all verified
            prev = savedPrev;
            expectedSeq = savedExpected;
            checked = savedChecked;
            lastSeq = savedLast;
            firstBreak = null;
            for (int i = 0; i < bad; i++) {
                bridge(page.logSeq[i], "");
                prev = page.chain(i);
                expectedSeq = page.logSeq[i] + 1;
                lastSeq = page.logSeq[i];
                checked++;
            }
            bridge(page.logSeq[bad], "");
            String recomputed = ChainHash.link(prev, HASHERS.get().eventHash(page, bad));
            String stored = page.chain(bad);
            firstBreak = new AuditChain.Break(page.logSeq[bad], recomputed, stored,
                    "stored chain_hash " + stored + " != recomputed " + recomputed);
            return false;
        }
        checked += rows;
        if (structuralBreak != null) {
            firstBreak = structuralBreak;
            return false;
        }
        return true;
    }

    /** After the last page: tombstones at the end, and the log must reach {@code untilLogSeq} when given. */
    boolean finish(Long untilLogSeq) {
        if (untilLogSeq == null) {
            return true;
        }
        long end = lastSeq;
        while (expectedSeq <= untilLogSeq && removed.containsKey(expectedSeq)) {
            if (!bridge(expectedSeq + 1, "")) {
                return false;
            }
        }
        if (expectedSeq <= untilLogSeq) {
            firstBreak = new AuditChain.Break(expectedSeq, null, null,
                    "log_seq " + expectedSeq + " is missing (the log ends at " + end + ")");
            return false;
        }
        return true;
    }

    /** Per-thread digest and buffer. */
    private static final class Hasher {
        private final MessageDigest sha = Hashing.newSha256();
        private byte[] buf = new byte[1024];
        private int len;
        private final byte[] digest = new byte[32];
        private final byte[] chainDigest = new byte[32];
        private final byte[] link = new byte[7 + 64 + 1 + 7 + 64];

        boolean linkMatches(Page page, int i, byte[] prevChain) {
            eventDigest(page, i);
            // link input: prev + "\n" + "sha256:" + hex(event digest)
            if (prevChain.length != 71) {
                return false;
            }
            System.arraycopy(prevChain, 0, link, 0, 71);
            link[71] = '\n';
            writePrefixedHex(digest, link, 72);
            sha.update(link, 0, link.length);
            try {
                sha.digest(chainDigest, 0, 32);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            byte[] stored = page.chainBytes(i);
            if (stored == null || stored.length != 71) {
                return false;
            }
            for (int k = 0; k < 7; k++) {
                if (stored[k] != PREFIX[k]) {
                    return false;
                }
            }
            for (int k = 0; k < 32; k++) {
                int v = chainDigest[k] & 0xff;
                if (stored[7 + 2 * k] != HEX[v >>> 4] || stored[8 + 2 * k] != HEX[v & 0xf]) {
                    return false;
                }
            }
            return true;
        }

        String eventHash(Page page, int i) {
            eventDigest(page, i);
            byte[] out = new byte[71];
            writePrefixedHex(digest, out, 0);
            return new String(out, StandardCharsets.US_ASCII);
        }

        private static void writePrefixedHex(byte[] d, byte[] out, int at) {
            for (int k = 0; k < 7; k++) {
                out[at + k] = (byte) Hashing.PREFIX.charAt(k);
            }
            for (int k = 0; k < 32; k++) {
                int v = d[k] & 0xff;
                out[at + 7 + 2 * k] = HEX[v >>> 4];
                out[at + 8 + 2 * k] = HEX[v & 0xf];
            }
        }

        /** The canonical JSON of {@link ChainHash#hashedFields}, as {@link ChainHash#canonicalText} writes it. */
        private void eventDigest(Page page, int i) {
            byte[][][] t = page.text;
            len = 0;
            raw("{\"actor\":{\"actor_id\":");
            str(t[T_ACTOR_ID][i]);
            raw(",\"actor_type\":");
            str(t[T_ACTOR_TYPE][i]);
            raw("},\"causation_event_id\":");
            str(t[T_CAUSATION][i]);
            raw(",\"correlation_id\":");
            str(t[T_CORRELATION][i]);
            raw(",\"event_id\":");
            str(t[T_EVENT_ID][i]);
            raw(",\"event_type\":");
            str(t[T_EVENT_TYPE][i]);
            raw(",\"idempotency_key\":");
            str(t[T_IDEM][i]);
            raw(",\"log_seq\":");
            num(page.logSeq[i]);
            raw(",\"occurred_at\":");
            str(t[T_OCCURRED][i]);
            raw(",\"payload_hash\":");
            str(t[T_PAYLOAD_HASH][i]);
            raw(",\"recorded_at\":");
            str(t[T_RECORDED][i]);
            raw(",\"schema_version\":");
            num(page.schemaVersion[i]);
            raw(",\"source\":{\"producer_id\":");
            str(t[T_PRODUCER][i]);
            raw(",\"subsystem\":");
            str(t[T_SUBSYSTEM][i]);
            raw(",\"system\":");
            str(t[T_SYSTEM][i]);
            raw("},\"tags\":");
            tags(t[T_TAGS][i]);
            raw(",\"tenant_id\":");
            str(page.tenantBytes);
            raw(",\"trace_id\":");
            str(t[T_TRACE_ID][i]);
            raw(",\"trace_seq\":");
            num(page.traceSeq[i]);
            raw("}");
            sha.update(buf, 0, len);
            try {
                sha.digest(digest, 0, 32);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
        }

        private void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }

        private void raw(String ascii) {
            int n = ascii.length();
            ensure(n);
            for (int k = 0; k < n; k++) {
                buf[len++] = (byte) ascii.charAt(k);
            }
        }

        private void num(long v) {
            if (v < 0 || v >= 1_000_000_000_000_000_000L) {
                raw(Long.toString(v));
                return;
            }
            ensure(19);
            int digits = 1;
            for (long x = v; x >= 10; x /= 10) {
                digits++;
            }
            for (int k = len + digits - 1; k >= len; k--) {
                buf[k] = (byte) ('0' + v % 10);
                v /= 10;
            }
            len += digits;
        }

        /** A stored UTF-8 string as canonical JSON: printable ASCII verbatim, anything else through the canonical writer. */
        private void str(byte[] v) {
            if (v == null) {
                raw("null");
                return;
            }
            int n = v.length;
            for (int k = 0; k < n; k++) {
                byte c = v[k];
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    byte[] b = JsonWriter.canonical(new JsonString(new String(v, StandardCharsets.UTF_8)))
                            .getBytes(StandardCharsets.UTF_8);
                    ensure(b.length);
                    System.arraycopy(b, 0, buf, len, b.length);
                    len += b.length;
                    return;
                }
            }
            ensure(n + 2);
            buf[len++] = '"';
            System.arraycopy(v, 0, buf, len, n);
            len += n;
            buf[len++] = '"';
        }

        private void tags(byte[] tagsBytes) {
            if (tagsBytes == null || (tagsBytes.length == 2 && tagsBytes[0] == '[' && tagsBytes[1] == ']')) {
                raw("[]");
                return;
            }
            Json parsed = JsonParser.parse(new String(tagsBytes, StandardCharsets.UTF_8));
            if (!(parsed instanceof JsonArray array)) {
                throw new IllegalArgumentException("tags_json is not a JSON array");
            }
            raw("[");
            boolean first = true;
            for (Json tag : array) {
                if (!first) {
                    raw(",");
                }
                first = false;
                if (!(tag instanceof JsonString s)) {
                    throw new IllegalArgumentException("tags_json holds a non-string tag");
                }
                str(s.value().getBytes(StandardCharsets.UTF_8));
            }
            raw("]");
        }
    }

}
