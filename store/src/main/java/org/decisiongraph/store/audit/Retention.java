package org.decisiongraph.store.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.decisiongraph.core.event.EnvelopeJson;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.log.AuditChain;
import org.decisiongraph.store.log.ChainHash;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.migrate.Layout;
import org.decisiongraph.store.sql.Handle;
import org.decisiongraph.store.sql.Tx;

/**
 * Per-tenant retention (docs/OPERATIONS.md, "Retention"): a policy of N days; a run archives every finished trace
 * whose {@code TraceFinished} was recorded more than N days ago (except the trace holding the tenant's last
 * event, which anchors the next append) to JSON Lines plus a manifest with hashes (signed when a key is given),
 * keeps a tombstone per removed event (its event hash and chain hash, so the chain still verifies across the
 * gap), records the run in {@code dg_retention_runs} and the tenant's audit log, and deletes the events, all in
 * one transaction holding the tenant's append lock. The caller rebuilds the tenant's projections afterwards.
 */
public final class Retention {
    public static final String FORMAT = "dg.retention.v1";
    public static final String AUDIT_RUN = "retention.run";
    public static final String AUDIT_POLICY = "retention.policy.set";

    /** A tenant's policy. */
    public record Policy(String tenantId, long retainDays, String archiveDir, String updatedAt, String updatedBy) {
        public JsonObject toJson() {
            return JsonObject.builder().put("tenant_id", tenantId).put("retain_days", retainDays)
                    .put("archive_dir", archiveDir).put("updated_at", updatedAt).put("updated_by", updatedBy).build();
        }
    }

    /** One stored run. {@code manifestJson} is the canonical manifest whose SHA-256 is {@code manifestHash}. */
    public record Run(String runId, String tenantId, String ranAt, String cutoff, long retainDays, long traceCount,
                      long eventCount, String archiveFile, String manifestJson, String manifestHash, String keyId,
                      String publicKey, String signature, String actorId, long auditId) {
        public JsonObject toJson() {
            return JsonObject.builder().put("run_id", runId).put("tenant_id", tenantId).put("ran_at", ranAt)
                    .put("cutoff", cutoff).put("retain_days", retainDays).put("trace_count", traceCount)
                    .put("event_count", eventCount).put("archive_file", Json.ofNullable(archiveFile))
                    .put("manifest", JsonParser.parse(manifestJson)).put("manifest_hash", manifestHash)
                    .put("key_id", Json.ofNullable(keyId)).put("signature", Json.ofNullable(signature))
                    .put("actor_id", actorId).put("audit_id", auditId).build();
        }
    }

    /** The result of {@link #run}: the stored run, or null when nothing was old enough. */
    public record Outcome(String tenantId, String cutoff, Run run) {
        public JsonObject toJson() {
            return JsonObject.builder().put("tenant_id", tenantId).put("cutoff", cutoff)
                    .put("removed_events", run == null ? 0 : run.eventCount())
                    .put("removed_traces", run == null ? 0 : run.traceCount())
                    .put("run", run == null ? JsonNull.INSTANCE : run.toJson()).build();
        }
    }

    private final Tx tx;
    private final AuditChain chain;
    private final AccessStore access;
    private final IdGenerator ids;

    public Retention(Database db, IdGenerator ids) {
        Objects.requireNonNull(db, "db");
        if (db.layout() != Layout.DECISIONGRAPH) {
            throw DgErrors.invalidArgument("the database has no retention (layout " + db.layout() + ")");
        }
        this.tx = db.tx();
        this.chain = AuditChain.of(db);
        this.access = new AccessStore(db);
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    // --- policies ---------------------------------------------------------------------------------------

    /** Creates or replaces the tenant's policy (with its audit row). */
    public Policy setPolicy(String tenant, long retainDays, String archiveDir, Redactions.Actor actor, Instant now) {
        String t = EventLog.normalizeTenant(tenant);
        if (retainDays < 1) {
            throw DgErrors.invalidArgument("retain_days must be >= 1, got " + retainDays);
        }
        if (archiveDir == null || archiveDir.isBlank()) {
            throw DgErrors.invalidArgument("an archive directory is required");
        }
        Policy p = new Policy(t, retainDays, archiveDir, Timestamps.toRfc3339(now), actor.id());
        return tx.write(h -> {
            PreparedStatement del = h.prepare("DELETE FROM dg_retention_policies WHERE tenant_id = ?");
            del.setString(1, t);
            del.executeUpdate();
            PreparedStatement ins = h.prepare("INSERT INTO dg_retention_policies (tenant_id, retain_days, archive_dir,"
                    + " updated_at, updated_by) VALUES (?, ?, ?, ?, ?)");
            ins.setString(1, t);
            ins.setLong(2, retainDays);
            ins.setString(3, archiveDir);
            ins.setString(4, p.updatedAt());
            ins.setString(5, p.updatedBy());
            ins.executeUpdate();
            access.appendAudit(h, new AuditRecord(t, now, actor.kind(), actor.id(), actor.roles(), AUDIT_POLICY,
                    "retention_policy", t, "accepted", null, null, actor.requestId(), null,
                    JsonObject.builder().put("retain_days", retainDays).put("archive_dir", archiveDir).build()));
            return p;
        });
    }

    public Optional<Policy> policy(String tenant) {
        String t = EventLog.normalizeTenant(tenant);
        return tx.read(h -> {
            PreparedStatement ps = h.prepare("SELECT tenant_id, retain_days, archive_dir, updated_at, updated_by"
                    + " FROM dg_retention_policies WHERE tenant_id = ?");
            ps.setString(1, t);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Policy(rs.getString(1), rs.getLong(2), rs.getString(3),
                        rs.getString(4), rs.getString(5))) : Optional.<Policy>empty();
            }
        });
    }

    /** The tenant's runs, oldest first (empty for a schema before V8). */
    public List<Run> runs(String tenant) {
        String t = EventLog.normalizeTenant(tenant);
        return tx.read(h -> {
            List<Run> out = new ArrayList<>();
            if (!AuditChain.hasTable(h, "dg_retention_runs")) {
                return out;
            }
            PreparedStatement ps = h.prepare("SELECT run_id, tenant_id, ran_at, cutoff, retain_days, trace_count,"
                    + " event_count, archive_file, manifest_json, manifest_hash, key_id, public_key, signature, actor_id,"
                    + " audit_id FROM dg_retention_runs WHERE tenant_id = ? ORDER BY ran_at, run_id");
            ps.setString(1, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getLong(15)));
                }
            }
            return out;
        });
    }

    // --- a run --------------------------------------------------------------------------------------------

    /** Applies the tenant's policy at {@code now}; {@code keys} (nullable) signs the manifest. */
    public Outcome run(String tenant, SigningKeys.Keys keys, Redactions.Actor actor, Instant now) {
        String t = EventLog.normalizeTenant(tenant);
        Policy policy = policy(t).orElseThrow(() -> new DgException(ErrorCode.DG_ERR_NOT_FOUND,
                "tenant '" + t + "' has no retention policy; set one with dg retention set"));
        if (keys != null && keys.privateKey() == null) {
            throw DgErrors.invalidArgument("signing needs a private key file (this one holds only a public key)");
        }
        String cutoff = Timestamps.toRfc3339(now.minus(Duration.ofDays(policy.retainDays())));
        return tx.write(h -> {
            chain.lockTenant(h, t);
            List<String> traces = expiredTraces(h, t, cutoff);
            if (traces.isEmpty()) {
                return new Outcome(t, cutoff, null);
            }
            List<AuditChain.ChainedEvent> events = new ArrayList<>();
            for (String trace : traces) {
                events.addAll(chain.trace(t, trace));
            }
            events.sort((a, b) -> Long.compare(a.event().logSeq(), b.event().logSeq()));
            checkLinks(h, t, events);
            String runId = "ret-" + ids.newId();
            Path dir = Path.of(policy.archiveDir()).resolve(safeName(t));
            Path archive = dir.resolve(runId + ".jsonl");
            Path manifestFile = dir.resolve(runId + ".manifest.json");
            try {
                return store(h, t, policy, cutoff, traces, events, runId, archive, manifestFile, keys, actor, now);
            } catch (RuntimeException | SQLException e) {
                deleteQuietly(archive);
                deleteQuietly(manifestFile);
                throw e;
            }
        });
    }

    private Outcome store(Handle h, String t, Policy policy, String cutoff, List<String> traces,
                          List<AuditChain.ChainedEvent> events, String runId, Path archive, Path manifestFile,
                          SigningKeys.Keys keys, Redactions.Actor actor, Instant now) throws SQLException {
        String archiveHash = writeArchive(archive, events);
        MessageDigest tombstones = Hashing.newSha256();
        for (AuditChain.ChainedEvent c : events) {
            tombstones.update((JsonWriter.canonical(tombstoneJson(c.event().logSeq(), c.event().eventId(),
                    c.event().traceId(), c.eventHash(), c.chainHash())) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String tombstonesHash = Hashing.prefixedHex(tombstones.digest());
        JsonObject manifest = JsonObject.builder()
                .put("format", FORMAT)
                .put("run_id", runId)
                .put("tenant_id", t)
                .put("created_at", Timestamps.toRfc3339(now))
                .put("cutoff", cutoff)
                .put("retain_days", policy.retainDays())
                .put("trace_count", traces.size())
                .put("event_count", events.size())
                .put("first_log_seq", events.getFirst().event().logSeq())
                .put("last_log_seq", events.getLast().event().logSeq())
                .put("archive_file", archive.getFileName().toString())
                .put("archive_sha256", archiveHash)
                .put("tombstones_hash", tombstonesHash)
                .put("key_id", keys == null ? JsonNull.INSTANCE : Json.of(keys.keyId()))
                .build();
        String manifestJson = JsonWriter.canonical(manifest);
        String manifestHash = Hashing.sha256(manifestJson);
        String signature = keys == null ? null : SigningKeys.sign(keys.privateKey(), manifestJson);
        String publicKey = keys == null ? null : SigningKeys.publicPem(keys.publicKey());
        writeFile(manifestFile, JsonWriter.pretty(JsonObject.builder()
                .put("manifest", manifest)
                .put("manifest_hash", manifestHash)
                .put("signature", Json.ofNullable(signature))
                .put("public_key", Json.ofNullable(publicKey))
                .build()) + "\n");

        PreparedStatement ins = h.prepare("INSERT INTO dg_event_tombstones (tenant_id, log_seq, event_id, trace_id,"
                + " event_hash, chain_hash, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
        for (AuditChain.ChainedEvent c : events) {
            ins.setString(1, t);
            ins.setLong(2, c.event().logSeq());
            ins.setString(3, c.event().eventId());
            ins.setString(4, c.event().traceId());
            ins.setString(5, c.eventHash());
            ins.setString(6, c.chainHash());
            ins.setString(7, runId);
            ins.addBatch();
        }
        ins.executeBatch();
        AuditEntry audit = access.appendAudit(h, new AuditRecord(t, now, actor.kind(), actor.id(), actor.roles(),
                AUDIT_RUN, "retention_run", runId, "accepted", null, null, actor.requestId(), null,
                JsonObject.builder().put("run_id", runId).put("manifest_hash", manifestHash)
                        .put("event_count", events.size()).put("trace_count", traces.size()).build()));
        Run run = new Run(runId, t, Timestamps.toRfc3339(now), cutoff, policy.retainDays(), traces.size(),
                events.size(), archive.toString(), manifestJson, manifestHash, keys == null ? null : keys.keyId(),
                publicKey, signature, actor.id(), audit.auditId());
        PreparedStatement runRow = h.prepare("INSERT INTO dg_retention_runs (run_id, tenant_id, ran_at, cutoff,"
                + " retain_days, trace_count, event_count, archive_file, manifest_json, manifest_hash, key_id,"
                + " public_key, signature, actor_id, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        runRow.setString(1, run.runId());
        runRow.setString(2, t);
        runRow.setString(3, run.ranAt());
        runRow.setString(4, cutoff);
        runRow.setLong(5, run.retainDays());
        runRow.setLong(6, run.traceCount());
        runRow.setLong(7, run.eventCount());
        runRow.setString(8, run.archiveFile());
        runRow.setString(9, manifestJson);
        runRow.setString(10, manifestHash);
        runRow.setString(11, run.keyId());
        runRow.setString(12, publicKey);
        runRow.setString(13, signature);
        runRow.setString(14, actor.id());
        runRow.setLong(15, audit.auditId());
        runRow.executeUpdate();
        PreparedStatement del = h.prepare("DELETE FROM dg_event_log WHERE tenant_id = ? AND log_seq = ?");
        for (AuditChain.ChainedEvent c : events) {
            del.setString(1, t);
            del.setLong(2, c.event().logSeq());
            del.addBatch();
        }
        int deleted = 0;
        for (int n : del.executeBatch()) {
            deleted += Math.max(n, 0);
        }
        if (deleted != events.size()) {
            throw DgErrors.storage("retention deleted " + deleted + " events, expected " + events.size(), null);
        }
        return new Outcome(t, cutoff, run);
    }

    /** Finished traces whose TraceFinished was recorded before the cutoff, without the trace of the last event. */
    private static List<String> expiredTraces(Handle h, String tenant, String cutoff) throws SQLException {
        PreparedStatement last = h.prepare("SELECT trace_id FROM dg_event_log WHERE tenant_id = ?"
                + " ORDER BY log_seq DESC LIMIT 1");
        last.setString(1, tenant);
        String anchor = null;
        try (ResultSet rs = last.executeQuery()) {
            if (rs.next()) {
                anchor = rs.getString(1);
            }
        }
        PreparedStatement ps = h.prepare("SELECT trace_id FROM dg_event_log WHERE tenant_id = ?"
                + " AND event_type = 'TraceFinished' AND recorded_at < ? ORDER BY log_seq");
        ps.setString(1, tenant);
        ps.setString(2, cutoff);
        Set<String> out = new LinkedHashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        out.remove(anchor);
        return new ArrayList<>(out);
    }

    /** Every removed event must link to its stored predecessor: retention never removes a broken part of the chain. */
    private void checkLinks(Handle h, String tenant, List<AuditChain.ChainedEvent> events) {
        Map<Long, String> stored = new HashMap<>();
        for (AuditChain.ChainedEvent c : events) {
            stored.put(c.event().logSeq(), c.chainHash());
        }
        for (AuditChain.ChainedEvent c : events) {
            long seq = c.event().logSeq();
            String prev = stored.containsKey(seq - 1) ? stored.get(seq - 1) : chain.storedChainAt(tenant, seq - 1);
            String expected = prev == null ? null : ChainHash.link(prev, c.eventHash());
            if (expected == null || !expected.equals(c.chainHash())) {
                throw new DgException(ErrorCode.DG_ERR_CONFLICT, "the audit chain of tenant '" + tenant
                        + "' is broken at log_seq=" + seq + "; run dg verify before retention");
            }
        }
    }

    private static JsonObject tombstoneJson(long logSeq, String eventId, String traceId, String eventHash,
                                            String chainHash) {
        return JsonObject.builder().put("log_seq", logSeq).put("event_id", eventId).put("trace_id", traceId)
                .put("event_hash", eventHash).put("chain_hash", chainHash).build();
    }

    /** One canonical JSON line per event: the stored event, its event hash and chain hash. Returns the file's hash. */
    private static String writeArchive(Path file, List<AuditChain.ChainedEvent> events) {
        MessageDigest sha = Hashing.newSha256();
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = new DigestOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)), sha)) {
                for (AuditChain.ChainedEvent c : events) {
                    JsonObject line = EnvelopeJson.toJson(c.event())
                            .with("event_hash", Json.of(c.eventHash()))
                            .with("chain_hash", Json.of(c.chainHash()));
                    out.write((JsonWriter.canonical(line) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw DgErrors.storage("cannot write the retention archive " + file + ": " + e.getMessage(), e);
        }
        return Hashing.prefixedHex(sha.digest());
    }

    private static void writeFile(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw DgErrors.storage("cannot write the retention manifest " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the run failed anyway; an orphaned archive file is reported by nothing and harmless
        }
    }

    private static String safeName(String tenant) {
        return tenant.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    // --- verification ---------------------------------------------------------------------------------------

    /** The outcome of checking a tenant's runs and tombstones. */
    public record Check(int runs, long tombstones, List<String> problems) {
    }

    /**
     * Every run: the stored manifest is canonical and hashes to {@code manifest_hash}; its tombstones (by run id,
     * log_seq order) hash to the manifest's {@code tombstones_hash} and number {@code event_count}; the audit log
     * entry records the manifest hash (and its own columns hash to its entry hash); a signature verifies with the
     * stored public key, whose id is the manifest's {@code key_id}. Every tombstone belongs to a stored run.
     */
    public Check verify(String tenant) {
        String t = EventLog.normalizeTenant(tenant);
        List<Run> runs = runs(t);
        NavigableMap<Long, AuditChain.Tombstone> all = chain.tombstones(t, 1, Long.MAX_VALUE);
        List<String> problems = new ArrayList<>();
        Map<String, MessageDigest> digests = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (AuditChain.Tombstone ts : all.values()) {
            MessageDigest d = digests.computeIfAbsent(ts.runId(), k -> Hashing.newSha256());
            d.update((JsonWriter.canonical(tombstoneJson(ts.logSeq(), ts.eventId(), ts.traceId(), ts.eventHash(),
                    ts.chainHash())) + "\n").getBytes(StandardCharsets.UTF_8));
            counts.merge(ts.runId(), 1L, Long::sum);
        }
        Set<String> known = new LinkedHashSet<>();
        for (Run r : runs) {
            known.add(r.runId());
            String name = "retention run " + r.runId();
            String hash = Hashing.sha256(r.manifestJson());
            if (!hash.equals(r.manifestHash())) {
                problems.add(name + ": the manifest hashes to " + hash + ", manifest_hash says " + r.manifestHash());
                continue;
            }
            JsonObject manifest;
            try {
                manifest = (JsonObject) JsonParser.parse(r.manifestJson());
            } catch (DgException | ClassCastException e) {
                problems.add(name + ": the manifest is not a JSON object");
                continue;
            }
            if (!JsonWriter.canonical(manifest).equals(r.manifestJson())) {
                problems.add(name + ": the manifest is not canonical JSON");
                continue;
            }
            MessageDigest d = digests.get(r.runId());
            String tombstonesHash = d == null ? Hashing.prefixedHex(Hashing.newSha256().digest())
                    : Hashing.prefixedHex(d.digest());
            long count = counts.getOrDefault(r.runId(), 0L);
            if (!tombstonesHash.equals(manifest.getString("tombstones_hash")) || count != r.eventCount()) {
                problems.add(name + ": its " + count + " tombstones hash to " + tombstonesHash + ", the manifest says "
                        + r.eventCount() + " events hashing to " + manifest.getString("tombstones_hash"));
                continue;
            }
            AuditEntry audit = access.auditEntry(r.auditId()).orElse(null);
            if (audit == null || !audit.chainId().equals(t) || !AUDIT_RUN.equals(audit.record().action())
                    || !r.manifestHash().equals(audit.record().details().has("manifest_hash")
                    ? audit.record().details().getString("manifest_hash") : null)) {
                problems.add(name + ": audit log entry " + r.auditId() + " does not record manifest_hash "
                        + r.manifestHash());
                continue;
            }
            String entryHash = AuditEntry.entryHash(audit.prevHash(), audit.auditId(), audit.chainId(), audit.record());
            if (!entryHash.equals(audit.entryHash())) {
                problems.add(name + ": audit log entry " + r.auditId() + " was changed");
                continue;
            }
            if (r.signature() != null) {
                try {
                    SigningKeys.Keys pub = SigningKeys.parse(r.publicKey(), "the run's public key");
                    if (!pub.keyId().equals(r.keyId()) || !pub.keyId().equals(manifest.has("key_id")
                            ? String.valueOf(manifest.get("key_id") instanceof org.decisiongraph.core.json.JsonString s
                            ? s.value() : null) : null)
                            || !SigningKeys.verify(pub.publicKey(), r.manifestJson(), r.signature())) {
                        problems.add(name + ": the manifest signature does not verify for key " + r.keyId());
                    }
                } catch (DgException e) {
                    problems.add(name + ": the manifest signature cannot be checked: " + e.message());
                }
            }
        }
        for (AuditChain.Tombstone ts : all.values()) {
            if (!known.contains(ts.runId())) {
                problems.add("tombstone at log_seq " + ts.logSeq() + " names retention run " + ts.runId()
                        + ", which is not recorded");
            }
        }
        return new Check(runs.size(), all.size(), problems);
    }
}
