package org.decisiongraph.projection.runtime;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.projection.Projector;
import org.decisiongraph.projection.digest.Digests;
import org.decisiongraph.projection.digest.ProjectionDigests;
import org.decisiongraph.store.readmodel.DigestCheckpoint;
import org.decisiongraph.store.readmodel.InMemoryReadModelStore;
import org.decisiongraph.store.readmodel.ProjectionName;
import org.decisiongraph.store.readmodel.ReadModelStore;

/**
 * A digest verification (platform spec 1.15.6): snapshot the live side, rebuild into scratch memory from the
 * log up to each projection's snapshot cursor, compare. The live side is read while every projection lock is
 * held, so its cursors and rows belong together: its digest is recomputed from the live tables (an edited row
 * shows up even when the stored checkpoint predates the edit), and a stored checkpoint taken at the same cursor
 * must agree with it too. Nothing live is written.
 */
final class DigestVerifier {
    private DigestVerifier() {
    }

    /** One compared digest. */
    record Result(String digestName, String liveDigest, long liveLastLogSeq, String rebuiltDigest, boolean match) {
        JsonObject toJson() {
            return JsonObject.builder().put("digest_name", digestName).put("live_digest", liveDigest)
                    .put("live_last_log_seq", liveLastLogSeq).put("rebuilt_digest", rebuiltDigest).put("match", match).build();
        }
    }

    static List<Result> verify(TenantContext tenant, String projection) {
        ReadModelStore live = tenant.projections().store();
        EnumMap<ProjectionName, Long> cursors = new EnumMap<>(ProjectionName.class);
        ProjectionDigests[] liveDigests = new ProjectionDigests[1];
        live.write(EnumSet.allOf(ProjectionName.class), w -> {
            for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
                cursors.put(p, w.cursor(p));
            }
            liveDigests[0] = Digests.compute(live);
        });
        List<ProjectionName> selected = "all".equals(projection) ? ProjectionName.CANONICAL_ORDER
                : List.of(ProjectionName.parse(projection));
        EnumMap<ProjectionName, String> rebuilt = new EnumMap<>(ProjectionName.class);
        List<Result> results = new ArrayList<>();
        for (ProjectionName p : ProjectionName.CANONICAL_ORDER) {
            if (!selected.contains(p) && !"all".equals(projection)) {
                continue;
            }
            InMemoryReadModelStore scratch = new InMemoryReadModelStore(tenant.tenant());
            long cursor = cursors.get(p);
            if (cursor > 0) {
                new Projector(scratch, tenant.projections().feed()).catchUp(p, Projector.DEFAULT_BATCH_SIZE, cursor);
            }
            String digest = component(scratch, p);
            rebuilt.put(p, digest);
            String liveDigest = component(liveDigests[0], p);
            boolean checkpointAgrees = agrees(live.digestCheckpoint(p.wireName()), cursor, liveDigest);
            results.add(new Result(p.wireName(), liveDigest, cursor, digest, digest.equals(liveDigest) && checkpointAgrees));
        }
        if ("all".equals(projection)) {
            String full = Digests.full(rebuilt.get(ProjectionName.CONTEXT_GRAPH), rebuilt.get(ProjectionName.TRACE_SUMMARY),
                    rebuilt.get(ProjectionName.PRECEDENT_INDEX));
            long min = cursors.values().stream().mapToLong(Long::longValue).min().orElse(0);
            String liveFull = liveDigests[0].fullProjection();
            boolean checkpointAgrees = agrees(live.digestCheckpoint(ProjectionName.FULL_PROJECTION), min, liveFull);
            results.add(new Result(ProjectionName.FULL_PROJECTION, liveFull, min, full, full.equals(liveFull) && checkpointAgrees));
        }
        return results;
    }

    /** A stored checkpoint at the snapshot cursor must carry the live digest (an older one cannot be compared). */
    private static boolean agrees(Optional<DigestCheckpoint> checkpoint, long cursor, String liveDigest) {
        return checkpoint.map(c -> c.lastLogSeq() != cursor || c.digest().equals(liveDigest)).orElse(true);
    }

    private static String component(ReadModelStore store, ProjectionName p) {
        return switch (p) {
            case CONTEXT_GRAPH -> Digests.contextGraph(store);
            case TRACE_SUMMARY -> Digests.traceSummary(store);
            case PRECEDENT_INDEX -> Digests.precedentIndex(store);
        };
    }

    private static String component(ProjectionDigests d, ProjectionName p) {
        return switch (p) {
            case CONTEXT_GRAPH -> d.contextGraph();
            case TRACE_SUMMARY -> d.traceSummary();
            case PRECEDENT_INDEX -> d.precedentIndex();
        };
    }

    static Json resultsJson(List<Result> results) {
        return Json.array(results.stream().map(Result::toJson).toList());
    }
}
