package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.audit.Checkpoint;
import org.decisiongraph.store.audit.SigningKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** dg keys, checkpoint, export and verify-export on a real SQLite file holding the golden scenarios. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditCommandsTest {
    private static final String TRACE_A = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    @TempDir
    static Path dir;
    Path db;
    Path keyFile;
    Path pubFile;
    String keyId;
    JsonObject digests;

    @BeforeAll
    void setUp() throws Exception {
        JsonObject projections = (JsonObject) JsonParser.parse(
                Files.readString(GoldenFiles.bundle().resolveSibling("vectors-projections.json")));
        digests = projections.getObject("combined_all_scenarios").getObject("digests");
        db = dir.resolve("events.db");
        CliRun imported = CliRun.dg("import", db.toString(), GoldenFiles.bundle().toString(), "--quiet");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        CliRun gen = CliRun.dg("keys", "generate", "--dir", dir.resolve("keys").toString(), "--name", "signer");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        keyId = ((JsonObject) JsonParser.parse(gen.out())).getString("key_id");
        keyFile = dir.resolve("keys/signer.key");
        pubFile = dir.resolve("keys/signer.pub");
        CliRun cp = CliRun.dg("checkpoint", db.toString(), "--key", keyFile.toString());
        assertThat(cp.exitCode()).as(cp.err()).isZero();
    }

    @Test
    void keysAreListedExportedAndThePrivateFileIsMode600() throws Exception {
        assertThat(keyId).startsWith("ed25519:").hasSize(40);
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        CliRun list = CliRun.dg("keys", "list", "--dir", dir.resolve("keys").toString());
        assertThat(list.out().lines()).containsExactly(keyId + "\tprivate\t" + keyFile, keyId + "\tpublic\t" + pubFile);
        CliRun export = CliRun.dg("keys", "export-public", keyFile.toString());
        assertThat(export.exitCode()).isZero();
        assertThat(export.out()).isEqualTo(Files.readString(pubFile)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        CliRun again = CliRun.dg("keys", "generate", "--dir", dir.resolve("keys").toString(), "--name", "signer");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already exist");
    }

    @Test
    void theCheckpointSignsTheChainHeadAndTheReferenceDigests() throws Exception {
        CliRun cp = CliRun.dg("checkpoint", db.toString(), "--key", keyFile.toString());
        assertThat(cp.exitCode()).as(cp.err()).isZero();
        JsonObject out = (JsonObject) JsonParser.parse(cp.out());
        Checkpoint c = Checkpoint.fromStatement(out.getString("statement"), out.getString("signature"));
        assertThat(c.logSeq()).isEqualTo(40);
        assertThat(c.keyId()).isEqualTo(keyId);
        assertThat(c.signatureValid(SigningKeys.read(pubFile).publicKey())).isTrue();
        for (String name : List.of("context_graph", "trace_summary", "precedent_index", "full_projection")) {
            assertThat(c.projectionDigests().get(name)).as(name).isEqualTo(digests.getString(name));
        }
    }

    private Path export(String name, String... selection) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("export", db.toString()));
        args.addAll(List.of(selection));
        args.addAll(List.of("--out", out.toString()));
        CliRun run = CliRun.dg(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return out;
    }

    private CliRun verify(Path bundle) {
        return CliRun.dg("verify-export", bundle.toString(), "--public-key", pubFile.toString());
    }

    @Test
    void aTraceExportAndARangeExportVerifyOffline() throws Exception {
        Path trace = export("trace.json", "--trace", TRACE_A);
        CliRun ok = verify(trace);
        assertThat(ok.exitCode()).as(ok.out()).isZero();
        assertThat(ok.out()).isEqualTo("OK: 9 events, 24 chain links, checkpoint at log_seq=40 signed by " + keyId + "\n");
        JsonObject b = (JsonObject) JsonParser.parse(Files.readString(trace));
        assertThat(b.getObject("projection_digests").getString("full_projection"))
                .isEqualTo(digests.getString("full_projection"));
        JsonObject first = (JsonObject) b.getArray("events").get(0);
        assertThat(first.getString("payload_hash")).isEqualTo(Hashing.payloadHash(first.get("payload")));

        Path range = export("range.json", "--from", "3", "--to", "5");
        assertThat(verify(range).out()).isEqualTo(
                "OK: 3 events, 38 chain links, checkpoint at log_seq=40 signed by " + keyId + "\n");
    }

    @Test
    void exportWithoutACoveringCheckpointNeedsAKey() throws Exception {
        Path fresh = dir.resolve("fresh.db");
        assertThat(CliRun.dg("import", fresh.toString(), GoldenFiles.bundle().toString(), "--quiet").exitCode()).isZero();
        CliRun none = CliRun.dg("export", fresh.toString(), "--trace", TRACE_A, "--out", dir.resolve("x.json").toString());
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("Error: no checkpoint of tenant 'default' covers log_seq=25;"
                + " run dg checkpoint first or pass --checkpoint-key\n");
        CliRun signed = CliRun.dg("export", fresh.toString(), "--trace", TRACE_A, "--checkpoint-key", keyFile.toString(),
                "--out", dir.resolve("x.json").toString());
        assertThat(signed.exitCode()).as(signed.err()).isZero();
        assertThat(verify(dir.resolve("x.json")).exitCode()).isZero();
        CliRun unknown = CliRun.dg("export", db.toString(), "--trace", "nope", "--out", dir.resolve("y.json").toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("Error: no events of tenant 'default' match the selection\n");
    }

    // --- tampering: each part of the bundle, each with its precise failure -----------------------------

    private JsonObject traceBundle() throws Exception {
        return (JsonObject) JsonParser.parse(Files.readString(export("t-" + System.nanoTime() + ".json", "--trace", TRACE_A)));
    }

    private static JsonObject withEvent(JsonObject bundle, int i, UnaryOperator<JsonObject> change) {
        List<Json> events = new ArrayList<>(bundle.getArray("events").items());
        events.set(i, change.apply((JsonObject) events.get(i)));
        return bundle.with("events", JsonArray.of(events));
    }

    private static String eventHashOf(JsonObject event) {
        JsonObject.Builder b = JsonObject.builder();
        event.members().forEach((k, v) -> {
            if (!List.of("payload", "event_hash", "chain_hash").contains(k)) {
                b.put(k, v);
            }
        });
        return Hashing.payloadHash(b.build());
    }

    private String failure(JsonObject tampered) throws Exception {
        Path f = dir.resolve("tampered-" + System.nanoTime() + ".json");
        Files.writeString(f, JsonWriter.pretty(tampered));
        CliRun run = verify(f);
        assertThat(run.exitCode()).as(run.out()).isEqualTo(4);
        assertThat(run.out()).startsWith("FAILED: ").endsWith("\n");
        return run.out().substring("FAILED: ".length(), run.out().length() - 1);
    }

    @Test
    void aChangedPayloadValueIsCaught() throws Exception {
        JsonObject b = traceBundle();
        JsonObject e = (JsonObject) b.getArray("events").get(1);
        JsonObject payload = (JsonObject) e.get("payload");
        String key = payload.keys().iterator().next();
        JsonObject changed = payload.with(key, Json.of("tampered"));
        assertThat(failure(withEvent(b, 1, ev -> ev.with("payload", changed)))).isEqualTo(
                "event " + e.getString("event_id") + " (log_seq=18): payload_hash mismatch: the payload hashes to "
                        + Hashing.payloadHash(changed) + ", the event says " + e.getString("payload_hash"));
    }

    @Test
    void aChangedPayloadHashIsCaught() throws Exception {
        JsonObject b = traceBundle();
        JsonObject e = (JsonObject) b.getArray("events").get(0);
        String forged = "sha256:" + "ab".repeat(32);
        assertThat(failure(withEvent(b, 0, ev -> ev.with("payload_hash", Json.of(forged))))).isEqualTo(
                "event " + e.getString("event_id") + " (log_seq=17): payload_hash mismatch: the payload hashes to "
                        + e.getString("payload_hash") + ", the event says " + forged);
        // payload and payload hash changed together: the event hash no longer matches
        JsonObject payload = Json.obj("replaced", Json.of(true));
        JsonObject both = withEvent(b, 0, ev -> ev.with("payload", payload)
                .with("payload_hash", Json.of(Hashing.payloadHash(payload))));
        assertThat(failure(both)).startsWith("event " + e.getString("event_id") + " (log_seq=17): event_hash mismatch: ");
    }

    @Test
    void aChangedEventFieldIsCaughtEvenWithARecomputedEventHash() throws Exception {
        JsonObject b = traceBundle();
        JsonObject e = (JsonObject) b.getArray("events").get(2);
        JsonObject changed = e.with("occurred_at", Json.of("2020-01-01T00:00:00Z"));
        assertThat(failure(withEvent(b, 2, ev -> changed))).isEqualTo("event " + e.getString("event_id")
                + " (log_seq=19): event_hash mismatch: the fields hash to " + eventHashOf(changed)
                + ", the event says " + e.getString("event_hash"));
        JsonObject rehashed = changed.with("event_hash", Json.of(eventHashOf(changed)));
        assertThat(failure(withEvent(b, 2, ev -> rehashed))).isEqualTo("event " + e.getString("event_id")
                + " (log_seq=19): event_hash " + eventHashOf(changed) + " differs from the chain link's "
                + e.getString("event_hash"));
    }

    @Test
    void aChangedChainLinkIsCaught() throws Exception {
        JsonObject b = traceBundle();
        List<Json> links = new ArrayList<>(b.getArray("chain_links").items());
        JsonObject link = (JsonObject) links.get(5);
        String forged = "sha256:" + "cd".repeat(32);
        links.set(5, link.with("chain_hash", Json.of(forged)));
        assertThat(failure(b.with("chain_links", JsonArray.of(links)))).startsWith(
                "chain link broken at log_seq=22: recomputed chain_hash sha256:").endsWith(", bundle says " + forged);
        JsonObject dropped = b.with("chain_links", JsonArray.of(
                new ArrayList<>(b.getArray("chain_links").items()).subList(0, 23)));
        assertThat(failure(dropped)).isEqualTo("chain links end at log_seq=39, the checkpoint is at log_seq=40");
        JsonObject prev = b.with("prev_chain_hash", Json.of(forged));
        assertThat(failure(prev)).startsWith("chain link broken at log_seq=17: ");
    }

    @Test
    void reorderedEventsAreCaught() throws Exception {
        JsonObject b = traceBundle();
        List<Json> events = new ArrayList<>(b.getArray("events").items());
        Collections.swap(events, 3, 4);
        JsonObject e = (JsonObject) events.get(4);
        assertThat(failure(b.with("events", JsonArray.of(events)))).isEqualTo("event " + e.getString("event_id")
                + " (log_seq=20): out of order (log_seq=20 after log_seq=21)");
    }

    @Test
    void aForgedCheckpointOrAnotherKeysSignatureIsCaught() throws Exception {
        JsonObject b = traceBundle();
        JsonObject cp = b.getObject("checkpoint");
        Checkpoint real = Checkpoint.fromStatement(cp.getString("statement"), cp.getString("signature"));
        // the statement edited, the signature kept
        String edited = cp.getString("statement").replace(real.chainHash(), "sha256:" + "0".repeat(64));
        assertThat(failure(b.with("checkpoint", cp.with("statement", Json.of(edited)))))
                .isEqualTo("checkpoint signature is not valid for key " + keyId);
        // signed by another key that claims to be ours
        SigningKeys.Keys other = SigningKeys.generate();
        String otherSig = SigningKeys.sign(other.privateKey(), cp.getString("statement"));
        assertThat(failure(b.with("checkpoint", cp.with("signature", Json.of(otherSig)))))
                .isEqualTo("checkpoint signature is not valid for key " + keyId);
        // a checkpoint honestly signed by another key
        Checkpoint byOther = Checkpoint.sign(other, real.tenantId(), real.logSeq(), real.chainHash(),
                real.projectionDigests(), real.createdAt());
        assertThat(failure(b.with("checkpoint", JsonObject.builder().put("statement", byOther.statementJson())
                .put("signature", byOther.signature()).put("key_id", byOther.keyId()).build())))
                .isEqualTo("checkpoint was signed by key " + other.keyId() + ", the public key given is " + keyId);
        // a validly signed statement (our key) over a chain hash the log never had
        SigningKeys.Keys ours = SigningKeys.read(keyFile);
        String bogus = "sha256:" + "9".repeat(64);
        Checkpoint wrongChain = Checkpoint.sign(ours, real.tenantId(), real.logSeq(), bogus,
                real.projectionDigests(), real.createdAt());
        assertThat(failure(b.with("checkpoint", JsonObject.builder().put("statement", wrongChain.statementJson())
                .put("signature", wrongChain.signature()).put("key_id", keyId).build())))
                .isEqualTo("the chain at log_seq=40 is " + real.chainHash() + ", the checkpoint says " + bogus);
        // digests in the bundle that the checkpoint does not vouch for
        JsonObject digestsChanged = b.with("projection_digests",
                b.getObject("projection_digests").with("trace_summary", Json.of("sha256:" + "1".repeat(64))));
        assertThat(failure(digestsChanged)).isEqualTo("projection_digests differ from the checkpoint's");
        assertThat(Map.of("ok", verifyOk(b))).containsEntry("ok", true);
    }

    private boolean verifyOk(JsonObject b) throws Exception {
        Path f = dir.resolve("ok-" + System.nanoTime() + ".json");
        Files.writeString(f, JsonWriter.pretty(b));
        return verify(f).exitCode() == 0;
    }
}
