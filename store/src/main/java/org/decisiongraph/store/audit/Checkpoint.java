package org.decisiongraph.store.audit;

import java.security.PrivateKey;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.core.error.DgErrors;

/**
 * A signed checkpoint: the statement "tenant T's chain hash after log_seq N is H, and its projections'
 * digests are D", signed with Ed25519. {@code statementJson} is the canonical JSON that was signed:
 * <pre>{"chain_hash":H,"created_at":T,"key_id":K,"log_seq":N,
 *  "projection_digests":{"context_graph":..,"full_projection":..,"precedent_index":..,"trace_summary":..},
 *  "tenant_id":T,"type":"dg.checkpoint.v1"}</pre>
 */
public record Checkpoint(String tenantId, long logSeq, String chainHash, Map<String, String> projectionDigests,
                         String createdAt, String keyId, String statementJson, String signature) {
    public static final String TYPE = "dg.checkpoint.v1";

    public Checkpoint {
        Objects.requireNonNull(statementJson, "statementJson");
        projectionDigests = Map.copyOf(projectionDigests);
    }

    /** The canonical statement for these values. */
    public static String statement(String tenantId, long logSeq, String chainHash, Map<String, String> digests,
                                   String createdAt, String keyId) {
        JsonObject.Builder d = JsonObject.builder();
        new TreeMap<>(digests).forEach(d::put);
        JsonObject o = JsonObject.builder()
                .put("type", TYPE)
                .put("tenant_id", tenantId)
                .put("log_seq", logSeq)
                .put("chain_hash", chainHash)
                .put("projection_digests", d.build())
                .put("created_at", createdAt)
                .put("key_id", keyId)
                .build();
        return JsonWriter.canonical(o);
    }

    /** Builds and signs a checkpoint with {@code keys} (which must hold the private key). */
    public static Checkpoint sign(SigningKeys.Keys keys, String tenantId, long logSeq, String chainHash,
                                  Map<String, String> digests, String createdAt) {
        PrivateKey priv = keys.privateKey();
        if (priv == null) {
            throw DgErrors.invalidArgument("signing needs a private key file (this one holds only a public key)");
        }
        String keyId = keys.keyId();
        String statement = statement(tenantId, logSeq, chainHash, digests, createdAt, keyId);
        return new Checkpoint(tenantId, logSeq, chainHash, digests, createdAt, keyId, statement,
                SigningKeys.sign(priv, statement));
    }

    /** Parses the values back out of a signed statement (the statement text stays the signed bytes). */
    public static Checkpoint fromStatement(String statementJson, String signature) {
        Json parsed = JsonParser.parse(statementJson);
        if (!(parsed instanceof JsonObject o) || !TYPE.equals(str(o, "type"))) {
            throw DgErrors.invalidArgument("not a " + TYPE + " statement");
        }
        Map<String, String> digests = new TreeMap<>();
        if (o.get("projection_digests") instanceof JsonObject d) {
            d.members().forEach((k, v) -> digests.put(k, v instanceof JsonString s ? s.value() : null));
        }
        long seq = o.get("log_seq") instanceof JsonInt n ? n.value().longValueExact() : -1;
        return new Checkpoint(str(o, "tenant_id"), seq, str(o, "chain_hash"), digests, str(o, "created_at"),
                str(o, "key_id"), statementJson, signature);
    }

    private static String str(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? s.value() : null;
    }

    /** True when the statement is canonical, matches these values and carries a valid signature by {@code key}. */
    public boolean signatureValid(java.security.PublicKey key) {
        return SigningKeys.keyId(key).equals(keyId)
                && statement(tenantId, logSeq, chainHash, projectionDigests, createdAt, keyId).equals(statementJson)
                && SigningKeys.verify(key, statementJson, signature);
    }

    public JsonObject toJson() {
        return JsonObject.builder()
                .put("statement", statementJson)
                .put("signature", signature)
                .put("key_id", keyId)
                .put("tenant_id", tenantId)
                .put("log_seq", logSeq)
                .put("chain_hash", chainHash)
                .build();
    }
}
