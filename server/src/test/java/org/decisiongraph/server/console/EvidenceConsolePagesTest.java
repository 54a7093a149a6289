package org.decisiongraph.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.projection.CheckpointSigner;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.audit.EvidenceVerifier;
import org.decisiongraph.store.audit.SigningKeys;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.demo.ReleaseDemo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console's evidence bundle downloads over plain HTTP against a real server with the release demo seeded into
 * {@code tenant-a}: the trace explorer says why there is no bundle before a checkpoint (and the download answers 409
 * with the message), offers the download after one; the downloaded file verifies offline with only the public key;
 * the review item page's bundle; readers and other tenants' admins are refused; every download is audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceConsolePagesTest {
    static final String T = ConsoleHarness.TENANT_A;
    private ConsoleHarness h;
    private ConsoleHarness.Browser admin;
    private ConsoleHarness.Browser reader;
    private ConsoleHarness.Browser adminB;

    @BeforeAll
    void start() throws Exception {
        h = new ConsoleHarness(Clock.systemUTC());
        ReleaseDemo.seed(h.db, T, 0, Clock.systemUTC(), WorkflowConfig.DEFAULTS);
        admin = h.loggedIn("admin-a");
        reader = h.loggedIn("reader-a");
        adminB = h.loggedIn("admin-b");
    }

    @AfterAll
    void stop() {
        h.close();
    }

    private static String trace(String id) {
        return "/trace?tenant=" + T + "&trace_id=" + Urls.encode(id);
    }

    private static String download(String id) {
        return "/trace/evidence?tenant=" + T + "&trace_id=" + Urls.encode(id);
    }

    @Test
    void traceExplorerOffersTheBundleOnceACheckpointCoversItAndTheFileVerifies() throws Exception {
        String id = ReleaseDemo.PRECEDENT_TRACE;
        HttpResponse<String> before = admin.get(trace(id));
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.body()).contains("id=\"evidence-note\"").contains("no signed checkpoint of tenant")
                .contains("run dg checkpoint").doesNotContain("id=\"btn-evidence\"");
        HttpResponse<String> refused = admin.get(download(id));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("No signed checkpoint yet").contains("run dg checkpoint");
        assertThat(refused.headers().firstValue("Content-Disposition")).isEmpty();

        SigningKeys.Keys keys = SigningKeys.generate();
        CheckpointSigner.create(h.db, T, keys, Clock.systemUTC());
        HttpResponse<String> after = admin.get(trace(id));
        assertThat(after.body()).contains("id=\"btn-evidence\"").contains("Download evidence bundle")
                .contains("/trace/evidence?tenant=" + T);
        assertThat(reader.get(trace(id)).body()).doesNotContain("id=\"btn-evidence\"").doesNotContain("id=\"evidence-note\"");

        HttpResponse<String> file = admin.get(download(id));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"" + id + "-evidence.json\"");
        assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonObject bundle = (JsonObject) JsonParser.parse(file.body());
        assertThat(bundle.getObject("selection").getString("trace_id")).isEqualTo(id);
        EvidenceVerifier.Result ok = EvidenceVerifier.verify(bundle, SigningKeys.parse(SigningKeys.publicPem(keys.publicKey()),
                "public key").publicKey());
        assertThat(ok.ok()).as(ok.failure()).isTrue();
        assertThat(EvidenceVerifier.verify(JsonParser.parse(file.body().replace("\"success\"", "\"failure\"")), keys.publicKey()).ok())
                .isFalse();

        HttpResponse<String> review = admin.get("/console/workflow/evidence?tenant=" + T + "&id=" + Urls.encode(ReleaseDemo.PRECEDENT_WORKFLOW));
        assertThat(review.statusCode()).isEqualTo(200);
        JsonObject reviewBundle = (JsonObject) JsonParser.parse(review.body());
        assertThat(reviewBundle.getObject("selection").getString("workflow_id")).isEqualTo(ReleaseDemo.PRECEDENT_WORKFLOW);
        assertThat(EvidenceVerifier.verify(reviewBundle, keys.publicKey()).ok()).isTrue();
        assertThat(admin.get("/console/workflow?tenant=" + T + "&id=" + Urls.encode(ReleaseDemo.PRECEDENT_WORKFLOW)).body())
                .contains("id=\"btn-evidence\"");

        assertThat(h.server.services().access().queryAudit(new AuditQuery(T, "evidence.export", "accepted", "admin-a", null, null,
                null, null, null, 10))).extracting(e -> e.record().targetType() + "/" + e.record().targetId())
                .containsExactlyInAnyOrder("trace/" + id, "workflow/" + ReleaseDemo.PRECEDENT_WORKFLOW);
        assertThat(h.server.services().access().queryAudit(new AuditQuery(T, "evidence.export", "rejected", "admin-a", "trace", id,
                null, null, null, 10))).hasSize(1);
    }

    @Test
    void readersOtherTenantsAndUnknownTracesGetNoBundle() throws Exception {
        assertThat(reader.get(download(ReleaseDemo.PRECEDENT_TRACE)).statusCode()).isEqualTo(403);
        assertThat(adminB.get(download(ReleaseDemo.PRECEDENT_TRACE)).statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = admin.get(download("no-such-trace"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("Trace not found: no-such-trace");
        assertThat(admin.get("/console/workflow/evidence?tenant=" + T + "&id=no-such-item").statusCode()).isEqualTo(404);
    }
}
