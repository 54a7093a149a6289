package org.decisiongraph.server.console;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonBool;
import org.decisiongraph.core.json.JsonInt;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonString;

/** Lenient reads of service JSON for display: a missing or mistyped member gives 0, false or null. */
public final class JsonRead {
    private JsonRead() {
    }

    public static long num(JsonObject o, String key) {
        return o.get(key) instanceof JsonInt i ? i.value().longValue() : 0L;
    }

    public static boolean bool(JsonObject o, String key) {
        return o.get(key) instanceof JsonBool b && b.value();
    }

    /** The string member, or null (also for JSON null and non-strings). */
    public static String str(JsonObject o, String key) {
        Json j = o.get(key);
        return j instanceof JsonString s ? s.value() : null;
    }
}
