package org.decisiongraph.server;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonBool;
import org.decisiongraph.core.json.JsonFloat;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;

/**
 * Checks every answer a test client receives against the server's own {@code /openapi.json}: the route is
 * documented (or the answer is the 404/405 error of an unknown route), the status is one of the route's documented
 * responses, and a JSON body matches the response's schema. The schema subset of the document is validated here:
 * {@code $ref}, {@code type} (one or several), {@code required}, {@code properties}, {@code items},
 * {@code enum}, {@code oneOf}, {@code anyOf}, {@code minimum}, {@code minItems}, {@code maxItems};
 * {@code additionalProperties} is open, as in the document. Violations are collected (answers arrive on many
 * threads) and reported by {@link #assertNoViolations()}.
 */
final class OpenApiValidator implements DgClient.ResponseObserver {
    private final JsonObject doc;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> checked = Collections.synchronizedList(new ArrayList<>());

    private OpenApiValidator(JsonObject doc) {
        this.doc = doc;
    }

    /** Reads the document of the server at {@code base}. */
    static OpenApiValidator of(URI base) {
        OpenApiValidator v = new OpenApiValidator(new DgClient(base, null, null).openApi().data());
        v.checkRefs(v.doc, "#");
        return v;
    }

    /** Every {@code $ref} of the document must resolve (a dangling one is a violation of its own). */
    private void checkRefs(Json node, String at) {
        if (node instanceof JsonObject o) {
            if (o.get("$ref") instanceof JsonString r) {
                try {
                    resolve(o);
                } catch (AssertionError e) {
                    violations.add("/openapi.json " + at + ": dangling $ref " + r.value());
                }
            }
            o.members().forEach((k, v) -> checkRefs(v, at + "/" + k));
        } else if (node instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) {
                checkRefs(a.get(i), at + "/" + i);
            }
        }
    }

    /** A client of {@code base} whose answers are checked. */
    DgClient client(URI base, String token, String tenant, int maxAttempts, java.time.Duration maxBackoff) {
        return new DgClient(base, token, tenant, maxAttempts, maxBackoff).withObserver(this);
    }

    DgClient client(URI base, String token, String tenant) {
        return new DgClient(base, token, tenant).withObserver(this);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    /** "METHOD template status" of every checked answer. */
    List<String> checked() {
        return List.copyOf(checked);
    }

    /** Fails with every violation seen since the last call (and forgets them). */
    void assertNoViolations() {
        List<String> v;
        synchronized (violations) {
            v = List.copyOf(violations);
            violations.clear();
        }
        if (!v.isEmpty()) {
            throw new AssertionError(v.size() + " answer(s) do not match /openapi.json:\n  " + String.join("\n  ", v));
        }
    }

    @Override
    public void observed(String method, URI uri, int status, String contentType, String body) {
        List<String> problems = check(method, uri.getRawPath(), status, contentType, body);
        problems.forEach(p -> violations.add(method + " " + uri.getRawPath() + " -> " + status + ": " + p));
    }

    /** The problems of one answer (empty when it matches the document). */
    List<String> check(String method, String path, int status, String contentType, String body) {
        List<String> problems = new ArrayList<>();
        if (path.startsWith("/webjars/")) {
            return problems; // static files of the API docs page, not part of the API
        }
        String template = template(method, path);
        if (template == null) {
            if (status == 404 || status == 405) {
                checked.add(method + " <unknown> " + status);
                if (isJson(contentType)) {
                    validateBody(body, ref("#/components/schemas/ErrorEnvelope"), problems);
                }
            } else {
                problems.add("route not in the document");
            }
            return problems;
        }
        checked.add(method + " " + template + " " + status);
        JsonObject op = doc.getObject("paths").getObject(template).getObject(method.toLowerCase(Locale.ROOT));
        Json response = op.getObject("responses").get(Integer.toString(status));
        if (response == null) {
            problems.add("status " + status + " is not documented for " + method + " " + template + " (documented: "
                    + op.getObject("responses").keys() + ")");
            return problems;
        }
        JsonObject resolved = (JsonObject) resolve(response);
        if (!(resolved.get("content") instanceof JsonObject content)) {
            if (body != null && !body.isEmpty()) {
                problems.add("the document declares no body");
            }
            return problems;
        }
        String mediaType = contentType == null ? null : baseType(contentType);
        JsonObject media = null;
        for (Map.Entry<String, Json> documented : content.members().entrySet()) {
            if (baseType(documented.getKey()).equals(mediaType)) {
                media = (JsonObject) documented.getValue();
            }
        }
        if (media == null) {
            problems.add("content type " + contentType + " is not documented (documented: " + content.keys() + ")");
            return problems;
        }
        if (isJson(mediaType) && media.get("schema") != null) {
            validateBody(body, media.get("schema"), problems);
        }
        return problems;
    }

    private static String baseType(String contentType) {
        return contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    private void validateBody(String body, Json schema, List<String> problems) {
        Json value;
        try {
            value = JsonParser.parse(body);
        } catch (RuntimeException e) {
            problems.add("body is not JSON: " + e.getMessage());
            return;
        }
        validate(value, schema, "$", problems);
    }

    /** The documented path template matching a concrete path (literal segments win over parameters). */
    private String template(String method, String path) {
        String[] parts = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (Map.Entry<String, Json> e : doc.getObject("paths").members().entrySet()) {
            if (!((JsonObject) e.getValue()).has(method.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String[] t = e.getKey().split("/", -1);
            if (t.length != parts.length) {
                continue;
            }
            int literals = 0;
            boolean match = true;
            for (int i = 0; i < t.length && match; i++) {
                if (t[i].startsWith("{") && t[i].endsWith("}")) {
                    match = !parts[i].isEmpty();
                } else {
                    match = t[i].equals(parts[i]);
                    literals++;
                }
            }
            if (match && literals > bestLiterals) {
                best = e.getKey();
                bestLiterals = literals;
            }
        }
        return best;
    }

    private static JsonObject ref(String target) {
        return JsonObject.builder().put("$ref", target).build();
    }

    private Json resolve(Json node) {
        Json n = node;
        while (n instanceof JsonObject o && o.get("$ref") instanceof JsonString r) {
            Json target = doc;
            for (String part : r.value().substring(2).split("/")) {
                target = ((JsonObject) target).get(part);
                if (target == null) {
                    throw new AssertionError("dangling $ref " + r.value());
                }
            }
            n = target;
        }
        return n;
    }

    private void validate(Json value, Json schemaNode, String at, List<String> problems) {
        Json resolved;
        try {
            resolved = resolve(schemaNode);
        } catch (AssertionError e) {
            problems.add(at + ": " + e.getMessage());
            return;
        }
        if (!(resolved instanceof JsonObject schema)) {
            return;
        }
        if (schema.get("type") != null && !typeMatches(value, schema.get("type"))) {
            problems.add(at + ": expected type " + JsonWriter.canonicalLenient(schema.get("type")) + ", got " + describe(value));
            return;
        }
        if (schema.get("enum") instanceof JsonArray options && !options.items().contains(value)) {
            problems.add(at + ": " + JsonWriter.canonicalLenient(value) + " is not one of " + JsonWriter.canonicalLenient(options));
        }
        if (schema.get("oneOf") instanceof JsonArray alternatives) {
            int matching = 0;
            for (Json alt : alternatives) {
                List<String> sub = new ArrayList<>();
                validate(value, alt, at, sub);
                matching += sub.isEmpty() ? 1 : 0;
            }
            if (matching != 1) {
                problems.add(at + ": matches " + matching + " of the oneOf alternatives (exactly one expected)");
            }
        }
        if (schema.get("anyOf") instanceof JsonArray alternatives) {
            boolean any = false;
            for (Json alt : alternatives) {
                List<String> sub = new ArrayList<>();
                validate(value, alt, at, sub);
                any |= sub.isEmpty();
            }
            if (!any) {
                problems.add(at + ": matches none of the anyOf alternatives");
            }
        }
        if (value instanceof JsonInt i && schema.get("minimum") instanceof JsonInt min
                && i.value().compareTo(min.value()) < 0) {
            problems.add(at + ": " + i + " is below the minimum " + min);
        }
        if (value instanceof JsonObject obj) {
            if (schema.get("required") instanceof JsonArray required) {
                for (Json r : required) {
                    String name = ((JsonString) r).value();
                    if (!obj.has(name)) {
                        problems.add(at + ": required member '" + name + "' is missing");
                    }
                }
            }
            if (schema.get("properties") instanceof JsonObject props) {
                for (Map.Entry<String, Json> p : props.members().entrySet()) {
                    if (obj.has(p.getKey())) {
                        validate(obj.get(p.getKey()), p.getValue(), at + "." + p.getKey(), problems);
                    }
                }
            }
        }
        if (value instanceof JsonArray arr) {
            if (schema.get("minItems") instanceof JsonInt min && arr.size() < min.longValue()) {
                problems.add(at + ": " + arr.size() + " items, at least " + min + " expected");
            }
            if (schema.get("maxItems") instanceof JsonInt max && arr.size() > max.longValue()) {
                problems.add(at + ": " + arr.size() + " items, at most " + max + " expected");
            }
            if (schema.get("items") != null) {
                for (int i = 0; i < arr.size(); i++) {
                    validate(arr.get(i), schema.get("items"), at + "[" + i + "]", problems);
                }
            }
        }
    }

    private static boolean typeMatches(Json value, Json type) {
        if (type instanceof JsonArray types) {
            for (Json t : types) {
                if (typeMatches(value, t)) {
                    return true;
                }
            }
            return false;
        }
        return switch (((JsonString) type).value()) {
            case "object" -> value instanceof JsonObject;
            case "array" -> value instanceof JsonArray;
            case "string" -> value instanceof JsonString;
            case "integer" -> value instanceof JsonInt;
            case "number" -> value instanceof JsonInt || value instanceof JsonFloat;
            case "boolean" -> value instanceof JsonBool;
            case "null" -> value instanceof JsonNull;
            default -> false;
        };
    }

    private static String describe(Json value) {
        String text = JsonWriter.canonicalLenient(value);
        return value.getClass().getSimpleName() + " " + (text.length() > 80 ? text.substring(0, 80) + "…" : text);
    }
}
