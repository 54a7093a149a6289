package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.event.IdGenerator;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.CheckpointSigner;
import org.decisiongraph.server.auth.Accounts;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.audit.Checkpoint;
import org.decisiongraph.store.audit.EvidenceVerifier;
import org.decisiongraph.store.audit.Redactions;
import org.decisiongraph.store.audit.SigningKeys;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.Workflows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence bundles over HTTP ({@code /api/v1/admin/evidence/...}, SQLite and Postgres subclasses), wired as
 * {@code dg serve} wires them: a key from {@code dg keys generate}'s code path, a checkpoint from {@code dg checkpoint}'s,
 * the downloaded body written to a file and checked by {@code dg verify-export}'s verifier with only the public key;
 * tampering, the 409 without a covering checkpoint, 400/403/404, tenant isolation and the audit rows.
 */
abstract class EvidenceHttpContract {
    static final String TENANT = "acme";
    private Database db;
    private Workflows workflows;
    private DgServer server;
    private ProjectionService projections;
    private URI base;
    private String agent;
    private String admin;
    private String adminNoExport;
    private String adminB;
    private OpenApiValidator openApi;

    @TempDir
    Path dir;

    abstract Database openDatabase();

    @BeforeEach
    void start() {
        db = openDatabase();
        Clock clock = Clock.systemUTC();
        workflows = new Workflows(db, EventLog.open(db, EventTypeSet.PLATFORM, clock), clock, WorkflowConfig.DEFAULTS);
        projections = ProjectionService.start(db, new ProjectionService.Options(true,
                org.decisiongraph.projection.runtime.RuntimeSettings.DEFAULTS.withRetryBaseMs(10), null), clock);
        server = DgServer.create(db, ServerConfig.DEFAULTS.withPort(0)
                .withRateLimits(new ServerConfig.RateLimits(100_000, 100_000, 100_000, 100_000)), clock,
                projections.extensions().plus(WorkflowExtension.of(workflows, null, projections))).start();
        base = URI.create("http://127.0.0.1:" + server.port());
        openApi = OpenApiValidator.of(base);
        Accounts a = server.services().accounts();
        agent = a.create("deal-agent", null, List.of("writer"), List.of(), List.of(TENANT), null, "t").orElseThrow().key().token();
        admin = a.create("auditor-1", null, List.of("admin"), List.of("workflow_export"), List.of(TENANT), null, "t")
                .orElseThrow().key().token();
        adminNoExport = a.create("operator-1", null, List.of("admin"), List.of("projection_replay"), List.of(TENANT), null, "t")
                .orElseThrow().key().token();
        adminB = a.create("auditor-b", null, List.of("admin"), List.of("workflow_export"), List.of("other"), null, "t")
                .orElseThrow().key().token();
    }

    @AfterEach
    void stop() {
        try {
            openApi.assertNoViolations();
        } finally {
            server.stop();
        }
        workflows.close();
        db.close();
    }

    private DgClient client(String token, String tenant) {
        return openApi.client(base, token, tenant, 1, Duration.ofMillis(10));
    }

    private static JsonObject event(String trace, long seq, String type, String payload) {
        return (JsonObject) JsonParser.parse("{\"event_id\":\"" + trace + "-" + seq + "\",\"trace_id\":\"" + trace + "\",\"trace_seq\":" + seq
                + ",\"event_type\":\"" + type + "\",\"occurred_at\":\"" + Instant.now() + "\",\"source\":{\"producer_id\":\"deal-agent\","
                + "\"system\":\"crm\",\"subsystem\":\"pricing\"},\"actor\":{\"actor_type\":\"agent\",\"actor_id\":\"deal-agent\"},"
                + "\"idempotency_key\":\"" + trace + ":" + seq + "\",\"payload\":" + payload + ",\"schema_version\":1,\"tags\":[]}");
    }

    private void proposeDiscount(String trace) {
        DgClient c = client(agent, TENANT);
        c.appendEvent(event(trace, 0, "TraceStarted", "{\"workflow\":\"discount_approval\",\"title\":\"Discount for Acme renewal\","
                + "\"primary_entity\":{\"entity_type\":\"account\",\"entity_id\":\"acct-acme\"}}"));
        c.appendEvent(event(trace, 1, "PolicyEvaluated", "{\"policy\":{\"policy_id\":\"discount-cap\",\"policy_version\":\"v3\"},"
                + "\"inputs\":[],\"decision\":\"require_exception\"}"));
        c.appendEvent(event(trace, 2, "ExceptionRequested", "{\"exception_id\":\"ex-1\",\"policy\":{\"policy_id\":\"discount-cap\","
                + "\"policy_version\":\"v3\"},\"reason\":\"32% discount exceeds the 25% cap\"}"));
    }

    /** {@code dg keys generate} + {@code dg checkpoint}: the private key file, and the public key file beside it. */
    private Path checkpoint() {
        SigningKeys.Keys keys = SigningKeys.writeNew(dir, "dg-signing");
        Checkpoint c = CheckpointSigner.create(db, TENANT, keys, Clock.systemUTC());
        assertThat(c.keyId()).isEqualTo(keys.keyId());
        return dir.resolve("dg-signing.pub");
    }

    /** Writes the bundle as the download would be saved, and checks the file as {@code dg verify-export} does. */
    private EvidenceVerifier.Result verifyFile(JsonObject bundle, Path publicKey) throws Exception {
        Path file = Files.createTempFile(dir, "bundle", ".json");
        Files.writeString(file, JsonWriter.pretty(bundle) + "\n", StandardCharsets.UTF_8);
        return EvidenceVerifier.verify(JsonParser.parse(Files.readString(file, StandardCharsets.UTF_8)),
                SigningKeys.read(publicKey).publicKey());
    }

    private static JsonObject tamperPayload(JsonObject bundle, int index, String member, String value) {
        List<Json> events = new ArrayList<>(bundle.getArray("events").items());
        JsonObject e = (JsonObject) events.get(index);
        events.set(index, e.with("payload", ((JsonObject) e.get("payload")).with(member, new JsonString(value))));
        return bundle.with("events", JsonArray.of(events));
    }

    @Test
    void traceBundleVerifiesOfflineWithOnlyThePublicKeyAndTamperingIsDetected() throws Exception {
        proposeDiscount("deal-e1");
        DgClient auditor = client(admin, TENANT);
        DgApiException none = catchThrowableOfType(DgApiException.class, () -> auditor.evidenceTrace("deal-e1"));
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.apiCode()).isEqualTo("conflict");
        assertThat(none.apiMessage()).isEqualTo("no signed checkpoint of tenant 'acme' covers log_seq=3; run dg checkpoint");

        // a redaction before the checkpoint: the bundle carries its record, exactly as dg export does
        new Redactions(db, IdGenerator.RANDOM_UUID, new SecureRandom()).redact(TENANT, "deal-e1-2", "reason", "customer request",
                new Redactions.Actor("user", "dpo", List.of("admin"), "req-redact"), Instant.now());
        Path pub = checkpoint();
        JsonObject bundle = auditor.evidenceTrace("deal-e1").data();
        assertThat(bundle.getString("format")).isEqualTo("dg.evidence.v1");
        assertThat(bundle.getObject("selection").getString("trace_id")).isEqualTo("deal-e1");
        assertThat(bundle.getArray("events").size()).isEqualTo(3);
        JsonObject redacted = (JsonObject) bundle.getArray("events").get(2);
        assertThat(redacted.getArray("redactions").size()).isEqualTo(1);
        assertThat(((JsonObject) redacted.get("payload")).getString("reason")).isEqualTo(Redactions.MARKER);
        EvidenceVerifier.Result ok = verifyFile(bundle, pub);
        assertThat(ok.ok()).as(ok.failure()).isTrue();
        assertThat(ok.events()).isEqualTo(3);

        EvidenceVerifier.Result tampered = verifyFile(tamperPayload(bundle, 1, "decision", "allow"), pub);
        assertThat(tampered.ok()).isFalse();
        assertThat(tampered.failure()).contains("payload_hash mismatch");
        EvidenceVerifier.Result otherKey = verifyFile(bundle, otherPublicKey());
        assertThat(otherKey.failure()).contains("the public key given is");

        assertThat(new AccessStore(db).queryAudit(new AuditQuery(TENANT, "evidence.export", null, null, null, null, null, null, null, 10)))
                .extracting(e -> e.record().outcome() + "/" + e.record().actorId() + "/" + e.record().targetType() + "/" + e.record().targetId())
                .containsExactlyInAnyOrder("rejected/auditor-1/trace/deal-e1", "accepted/auditor-1/trace/deal-e1");
    }

    private Path otherPublicKey() {
        SigningKeys.writeNew(dir, "other");
        return dir.resolve("other.pub");
    }

    @Test
    void rangeAndReviewBundlesVerify() throws Exception {
        proposeDiscount("deal-e2");
        Path pub = checkpoint();
        DgClient auditor = client(admin, TENANT);
        JsonObject range = auditor.evidenceRange(2, 3).data();
        assertThat(range.getObject("selection").toString()).contains("from_log_seq").contains("to_log_seq");
        assertThat(range.getArray("events").size()).isEqualTo(2);
        assertThat(verifyFile(range, pub).ok()).isTrue();

        String id = "deal-e2:exception:ex-1";
        JsonObject review = auditor.evidenceWorkflow(id).data();
        assertThat(review.getObject("selection").getString("workflow_id")).isEqualTo(id);
        assertThat(review.getObject("review").getArray("source_events").size()).isEqualTo(1);
        EvidenceVerifier.Result ok = verifyFile(review, pub);
        assertThat(ok.ok()).as(ok.failure()).isTrue();
        assertThat(verifyFile(tamperPayload(review, 0, "exception_id", "ex-2"), pub).ok()).isFalse();
    }

    @Test
    void badInputUnknownSelectionsPermissionsAndTenantIsolation() {
        proposeDiscount("deal-e3");
        checkpoint();
        DgClient auditor = client(admin, TENANT);
        assertThat(catchThrowableOfType(DgApiException.class, () -> auditor.evidenceTrace("no-such-trace")).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(DgApiException.class, () -> auditor.evidenceWorkflow("no-such-item")).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(DgApiException.class, () -> auditor.evidenceRange(100, 200)).status()).isEqualTo(404);
        DgApiException zero = catchThrowableOfType(DgApiException.class, () -> auditor.evidenceRange(0, 2));
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.apiMessage()).isEqualTo("from must be >= 1 and to >= from");
        assertThat(catchThrowableOfType(DgApiException.class, () -> auditor.evidenceRange(3, 1)).status()).isEqualTo(400);
        assertThat(catchThrowableOfType(DgApiException.class, () -> auditor.send("GET", "/api/v1/admin/evidence/range",
                Map.of("from", "1"), null)).status()).isEqualTo(400);
        assertThat(catchThrowableOfType(DgApiException.class, () -> auditor.send("GET", "/api/v1/admin/evidence/range",
                Map.of("from", "x", "to", "2"), null)).status()).isEqualTo(400);

        DgApiException noPermission = catchThrowableOfType(DgApiException.class, () -> client(adminNoExport, TENANT).evidenceTrace("deal-e3"));
        assertThat(noPermission.status()).isEqualTo(403);
        assertThat(noPermission.apiMessage()).isEqualTo("Service account lacks workflow_export permission");
        assertThat(catchThrowableOfType(DgApiException.class, () -> client(agent, TENANT).evidenceTrace("deal-e3")).status())
                .isEqualTo(403);

        // tenant isolation: another tenant's key sees no such trace or item, and cannot name this tenant
        DgClient other = client(adminB, "other");
        assertThat(catchThrowableOfType(DgApiException.class, () -> other.evidenceTrace("deal-e3")).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(DgApiException.class, () -> other.evidenceWorkflow("deal-e3:exception:ex-1")).status())
                .isEqualTo(404);
        assertThat(catchThrowableOfType(DgApiException.class, () -> client(adminB, TENANT).evidenceTrace("deal-e3")).status())
                .isEqualTo(403);

        assertThat(new AccessStore(db).queryAudit(new AuditQuery(TENANT, "evidence.export", "denied", "operator-1", null, null, null,
                null, null, 10))).hasSize(1);

        JsonObject doc = openApi.client(base, null, null).openApi().data();
        JsonObject op = doc.getObject("paths").getObject("/api/v1/admin/evidence/traces/{trace_id}").getObject("get");
        assertThat(op.getString("x-dg-permission")).isEqualTo("workflow_export");
        assertThat(doc.getObject("paths").keys()).contains("/api/v1/admin/evidence/range", "/api/v1/admin/evidence/workflows/{workflow_id}");
    }
}
