package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.decisiongraph.client.DgApiException;
import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.demo.ReleaseDemo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator path end to end: {@code dg keys generate}, {@code dg checkpoint}, {@code dg serve}, the bundle from
 * {@code GET /api/v1/admin/evidence/traces/{trace_id}} saved to a file and checked by {@code dg verify-export} with only the
 * public key; it is the bundle {@code dg export --trace} writes under the same checkpoint; a changed payload fails.
 */
class EvidenceApiCommandTest {
    @TempDir
    Path dir;

    @Test
    void theServiceBundleIsDgExportsAndVerifiesOffline() throws Exception {
        Path db = dir.resolve("evidence.db");
        try (Database database = Database.sqlite(db)) {
            ReleaseDemo.seed(database, "default", 0, Clock.systemUTC(), WorkflowConfig.DEFAULTS);
        }
        CliRun accounts = CliRun.dg("accounts", "bootstrap", db.toString());
        assertThat(accounts.exitCode()).as(accounts.err()).isZero();
        String token = null;
        for (Json a : ((JsonObject) JsonParser.parse(accounts.out())).getArray("service_accounts")) {
            if ("admin-main".equals(((JsonObject) a).getString("account_id"))) {
                token = ((JsonString) ((JsonObject) a).getArray("tokens").get(0)).value();
            }
        }
        assertThat(token).isNotNull();
        String trace = ReleaseDemo.PRECEDENT_TRACE;
        Path keyDir = dir.resolve("keys");
        assertThat(CliRun.dg("keys", "generate", "--dir", keyDir.toString(), "--name", "signer").exitCode()).isZero();
        try (ServeProcess serve = ServeProcess.start(db.toString(), dir.resolve("serve.log"), Map.of())) {
            DgClient client = new DgClient(serve.base(), token, "default");
            DgApiException none = org.assertj.core.api.Assertions.catchThrowableOfType(DgApiException.class,
                    () -> client.evidenceTrace(trace));
            assertThat(none.status()).isEqualTo(409);
            assertThat(none.apiMessage()).startsWith("no signed checkpoint of tenant 'default' covers log_seq=").endsWith("; run dg checkpoint");

            CliRun checkpoint = CliRun.dg("checkpoint", db.toString(), "--key", keyDir.resolve("signer.key").toString());
            assertThat(checkpoint.exitCode()).as(checkpoint.err()).isZero();
            JsonObject bundle = client.evidenceTrace(trace).data();
            Path api = dir.resolve("api.json");
            Files.writeString(api, JsonWriter.pretty(bundle) + "\n");
            CliRun ok = CliRun.dg("verify-export", api.toString(), "--public-key", keyDir.resolve("signer.pub").toString());
            assertThat(ok.exitCode()).as(ok.out()).isZero();
            assertThat(ok.out()).startsWith("OK: ");

            Path cli = dir.resolve("cli.json");
            CliRun export = CliRun.dg("export", db.toString(), "--trace", trace, "--out", cli.toString());
            assertThat(export.exitCode()).as(export.err()).isZero();
            assertThat(JsonParser.parse(Files.readString(cli))).isEqualTo(JsonParser.parse(Files.readString(api)));

            Path tampered = dir.resolve("tampered.json");
            Files.writeString(tampered, Files.readString(api).replace("\"success\"", "\"failure\""));
            assertThat(Files.readString(tampered)).isNotEqualTo(Files.readString(api));
            CliRun failed = CliRun.dg("verify-export", tampered.toString(), "--public-key", keyDir.resolve("signer.pub").toString());
            assertThat(failed.exitCode()).isEqualTo(4);
            assertThat(failed.out()).startsWith("FAILED: ");
        }
    }
}
