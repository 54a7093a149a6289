package org.decisiongraph.server.console.pages;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.projection.runtime.ProjectionRuntime;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.server.console.Console;
import org.decisiongraph.server.console.ConsolePages;
import org.decisiongraph.server.console.JsonRead;
import org.decisiongraph.server.console.PageRequest;
import org.decisiongraph.server.console.Requirement;
import org.decisiongraph.server.console.Section;
import org.decisiongraph.server.console.Tones;
import org.decisiongraph.store.runtime.RuntimeStore;

/**
 * {@code /replay}: the replay console (platform spec 4.3 #replay, 4.4) — the replay form (projection, mode, reason,
 * typed confirmation {@code "<MODE> <PROJECTION>"}), recent runs with Cancel, the full and per-projection digests with
 * the alignment label (a position check), and the digest verification card (live vs rebuilt digests with
 * {@code match}/{@code mismatch}). Actions need the admin role and {@code projection_replay} ({@code projection_rebuild}
 * for rebuilds), as in the API, and write the same audit rows. Live on {@code replay_run}, {@code projection_health}
 * and {@code digest_verification} frames.
 */
public final class ReplayPage implements ConsolePages {
    public static final List<String> PROJECTIONS = List.of("trace_summary", "context_graph", "precedent_index", "all");
    static final String REBUILD_DENIED = "The configured console actor cannot request rebuild operations.";
    static final String REASON_REQUIRED = "Replay reason is required.";
    static final String CONFIRM_MISMATCH = "Type the exact confirmation phrase before queueing the replay.";
    static final Requirement ACT = Requirement.admin(Permissions.PROJECTION_REPLAY);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean allowRebuild;

    public ReplayPage(boolean allowRebuild) {
        this.allowRebuild = allowRebuild;
    }

    /** Per-projection digest with its alignment label. */
    public record DigestRow(String projection, String digest, long cursor, long pending, long openFailures, String alignment) {
    }

    /** One result of a verification. */
    public record Result(String name, String live, String rebuilt, boolean match) {
    }

    /** The latest verification with its results. */
    public record VerificationView(RuntimeStore.Verification verification, List<Result> results) {
    }

    /** The page's model. */
    public record View(String tenant, boolean canReplay, boolean canRebuild, String requestId, String fullDigest,
                       Section<List<DigestRow>> digests, Section<List<RuntimeStore.Run>> runs, Section<VerificationView> verification,
                       String flash, String flashKind) {
        public String tone(String s) {
            return Tones.of(s);
        }
    }

    @Override
    public void register(Console console) {
        console.nav("Replay", "/replay", Requirement.READER);
        console.page("/replay", Requirement.READER, r -> r.page("replay.jte", "Replay console", view(r, null, null)));
        console.fragment("/console/fragments/replay", Requirement.READER, r -> r.fragment("replay_body.jte", view(r, null, null)));
        console.action("/replay", ACT, this::start);
        console.action("/replay/cancel", ACT, this::cancel);
        console.action("/replay/verify", ACT, this::verify);
    }

    View view(PageRequest r, String flash, String kind) {
        ProjectionRuntime runtime = r.console().runtime();
        boolean canReplay = r.can(ACT);
        boolean canRebuild = canReplay && allowRebuild && r.session().hasPermission(r.tenant(), Permissions.PROJECTION_REBUILD);
        String requestId = "replay-console-" + HexFormat.of().formatHex(longBytes());
        if (runtime == null) {
            String m = "The projection runtime is not running on this server.";
            return new View(r.tenant(), canReplay, canRebuild, requestId, null, Section.unavailable(m), Section.unavailable(m),
                    Section.unavailable(m), flash, kind);
        }
        List<RuntimeStore.Run> recent = runtime.store().runs(r.tenant()).stream().limit(8).toList();
        String[] full = {null};
        Section<List<DigestRow>> digests = Section.of(() -> {
            JsonObject h = runtime.health(r.tenant());
            full[0] = JsonRead.str(h, "full_digest");
            List<DigestRow> out = new ArrayList<>();
            for (Json j : h.getArray("projections")) {
                JsonObject p = (JsonObject) j;
                String name = p.getString("projection_name");
                long cursor = JsonRead.num(p, "last_log_seq");
                out.add(new DigestRow(name, JsonRead.str(p, "digest"), cursor, JsonRead.num(p, "pending_events"),
                        JsonRead.num(p, "open_failures"), alignment(recent, name, cursor)));
            }
            return out;
        });
        Section<List<RuntimeStore.Run>> runs = canReplay ? new Section<>(org.decisiongraph.server.console.PanelState.READY, recent)
                .emptyIf(List::isEmpty, "No replay runs yet.")
                : Section.empty("Runs are shown to admins with projection_replay.");
        Section<VerificationView> verification = canReplay ? Section.of(() -> latestVerification(runtime, r.tenant()))
                .emptyIf(v -> v == null, "No digest verification yet. Start one below.")
                : Section.empty("Digest verification needs the admin role with projection_replay.");
        return new View(r.tenant(), canReplay, canRebuild, requestId, full[0], digests, runs, verification, flash, kind);
    }

    /** Spec 4.3: the newest completed run of the projection among the listed runs. */
    static String alignment(List<RuntimeStore.Run> runs, String projection, long cursor) {
        Optional<RuntimeStore.Run> run = runs.stream().filter(x -> "completed".equals(x.status()) && projection.equals(x.projectionName()))
                .findFirst();
        if (run.isEmpty()) {
            return "no completed replay";
        }
        long at = run.get().lastLogSeq();
        return at == cursor ? "aligned" : at < cursor ? "newer than last replay" : "needs review";
    }

    static VerificationView latestVerification(ProjectionRuntime runtime, String tenant) {
        List<RuntimeStore.Verification> all = runtime.store().verifications(tenant);
        if (all.isEmpty()) {
            return null;
        }
        RuntimeStore.Verification v = all.getFirst();
        List<Result> results = new ArrayList<>();
        if (v.resultsJson() != null && JsonParser.parse(v.resultsJson()) instanceof JsonArray a) {
            for (Json j : a) {
                JsonObject o = (JsonObject) j;
                results.add(new Result(JsonRead.str(o, "digest_name"), JsonRead.str(o, "live_digest"), JsonRead.str(o, "rebuilt_digest"),
                        JsonRead.bool(o, "match")));
            }
        }
        return new VerificationView(v, results);
    }

    /** htmx: the flash, a fresh request id and the live section (out of band); else the whole page. */
    private String answer(PageRequest r, String flash, String kind) {
        View v = view(r, flash, kind);
        if ("info".equals(kind)) {
            r.context().header("HX-Trigger", "dg-action-ok");
        }
        return r.isHtmx() ? r.fragment("replay_flash.jte", v) : r.page("replay.jte", "Replay console", v);
    }

    private static JsonObject details(String jobId, String mode, String projection) {
        return JsonObject.builder().put("job_id", Json.ofNullable(jobId)).put("mode", mode)
                .put("permission", "rebuild".equals(mode) ? Permissions.PROJECTION_REBUILD : Permissions.PROJECTION_REPLAY)
                .put("projection", Json.ofNullable(projection)).build();
    }

    private String start(PageRequest r) {
        String projection = Optional.ofNullable(r.form("projection")).orElse("trace_summary");
        String mode = Optional.ofNullable(r.form("mode")).orElse("catch_up");
        String reason = r.form("reason");
        String confirm = r.form("confirm_text");
        String requestId = Optional.ofNullable(r.form("request_id")).orElse(r.requestId());
        JsonObject details = details(null, mode, projection);
        ProjectionRuntime runtime = r.console().runtime();
        String error = null;
        if (runtime == null) {
            error = "The projection runtime is not running on this server.";
        } else if (!PROJECTIONS.contains(projection) || !(mode.equals("catch_up") || mode.equals("rebuild"))) {
            error = "projection must be one of " + String.join(", ", PROJECTIONS) + " and mode catch_up or rebuild";
        } else if ("rebuild".equals(mode) && (!allowRebuild || !r.session().hasPermission(r.tenant(), Permissions.PROJECTION_REBUILD))) {
            error = REBUILD_DENIED;
        } else if (reason == null) {
            error = REASON_REQUIRED;
        } else if (!(mode + " " + projection).toUpperCase(Locale.ROOT).equals(confirm)) {
            error = CONFIRM_MISMATCH;
        }
        if (error != null) {
            r.audit("start_replay", "rejected", "replay_job", null, error, "invalid_argument", details);
            return answer(r, "Action failed: " + error, "error");
        }
        Optional<RuntimeStore.Run> earlier = runtime.store().runs(r.tenant()).stream()
                .filter(x -> x.metadataJson() != null && x.metadataJson().contains("\"request_id\":\"" + requestId + "\"")).findFirst();
        if (earlier.isPresent()) {
            return answer(r, "Replay queued: " + earlier.get().jobId() + " (request " + requestId + ", already submitted)", "info");
        }
        try {
            JsonObject metadata = JsonObject.builder().put("reason", reason).put("request_id", requestId)
                    .put("requested_by_account_id", r.userId()).put("requested_by_roles", Json.strings(r.session().roles(r.tenant())))
                    .put("actor_kind", "user").put("requested_from", "operator_console")
                    .put("selected_trace_id", Json.ofNullable(r.form("selected_trace_id"))).build();
            RuntimeStore.Run run = runtime.startReplay(r.tenant(), projection, mode, 0, null, metadata);
            r.audit("start_replay", "accepted", "replay_job", run.jobId(), reason, null, details(run.jobId(), mode, projection));
            return answer(r, "Replay queued: " + run.jobId() + " (request " + requestId + ")", "info");
        } catch (DgException e) {
            r.audit("start_replay", "rejected", "replay_job", null, e.message(), e.code().apiCode(), details);
            return answer(r, "Action failed: " + e.message(), "error");
        }
    }

    private String cancel(PageRequest r) {
        String jobId = r.form("job_id");
        ProjectionRuntime runtime = r.console().runtime();
        JsonObject details = JsonObject.builder().put("job_id", jobId == null ? "" : jobId).build();
        Optional<RuntimeStore.Run> run = jobId == null || runtime == null ? Optional.empty()
                : runtime.store().run(jobId).filter(x -> x.tenantId().equals(r.tenant()));
        if (run.isEmpty()) {
            r.audit("cancel_replay", "rejected", "replay_job", jobId, "Replay job not found: " + jobId, "not_found", details);
            return answer(r, "Action failed: Replay job not found: " + jobId, "error");
        }
        if ("rebuild".equals(run.get().mode()) && !r.session().hasPermission(r.tenant(), Permissions.PROJECTION_REBUILD)) {
            r.audit("cancel_replay", "rejected", "replay_job", jobId, REBUILD_DENIED, "forbidden", details);
            return answer(r, "Action failed: " + REBUILD_DENIED, "error");
        }
        Optional<RuntimeStore.Run> cancelled = runtime.cancelReplay(r.tenant(), jobId);
        if (cancelled.isEmpty()) {
            String m = "Replay job " + jobId + " is already " + runtime.store().run(jobId).map(RuntimeStore.Run::status).orElse("gone");
            r.audit("cancel_replay", "rejected", "replay_job", jobId, m, "conflict", details);
            return answer(r, "Action failed: " + m, "error");
        }
        r.audit("cancel_replay", "accepted", "replay_job", jobId, null, null, details(jobId, run.get().mode(), run.get().projectionName()));
        return answer(r, "Replay cancelled: " + jobId, "info");
    }

    private String verify(PageRequest r) {
        String projection = Optional.ofNullable(r.form("projection")).orElse("all");
        String reason = r.form("reason");
        ProjectionRuntime runtime = r.console().runtime();
        JsonObject details = JsonObject.builder().put("projection", projection).build();
        if (reason == null) {
            r.audit("start_digest_verification", "rejected", "digest_verification", null, "A reason is required.", "invalid_argument", details);
            return answer(r, "Action failed: A reason is required.", "error");
        }
        if (runtime == null) {
            return answer(r, "Action failed: The projection runtime is not running on this server.", "error");
        }
        try {
            RuntimeStore.Verification v = runtime.startVerification(r.tenant(), projection, reason, r.requestId(), r.userId());
            r.audit("start_digest_verification", "accepted", "digest_verification", v.verificationId(), reason, null, details);
            return answer(r, "Digest verification started: " + v.verificationId(), "info");
        } catch (DgException e) {
            r.audit("start_digest_verification", "rejected", "digest_verification", null, e.message(), e.code().apiCode(), details);
            return answer(r, "Action failed: " + e.message(), "error");
        }
    }

    private static byte[] longBytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }
}
