package org.decisiongraph.core.json;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable JSON object that keeps member order (the order matters for the float and PII walks;
 * writers sort keys by code point). Equality is by members, ignoring order, like a Python dict.
 */
public final class JsonObject implements Json {
    static final JsonObject EMPTY = new JsonObject(Map.of());

    /** The owned map (only this package reads it directly: no wrapper objects on the hashing path). */
    final Map<String, Json> raw;
    private final Map<String, Json> members;
    /** The members in key code-point order, computed on first use (objects are immutable). */
    private Sorted sorted;
    /** Length of the canonical UTF-8 form once an encoding of this whole object succeeded; -1 before. */
    int canonicalLength = -1;

    /** Holds the array in a final field, so a thread that sees the holder sees the filled array. */
    private static final class Sorted {
        final Map.Entry<String, Json>[] entries;

        Sorted(Map.Entry<String, Json>[] entries) {
            this.entries = entries;
        }
    }

    /** Loads {@link Sorted} with this class, not at the bottom of a deep walk (see {@link WalkAbort}). */
    private static final Sorted LOADED = new Sorted(null);

    private static final Comparator<Map.Entry<String, Json>> BY_KEY =
            (x, y) -> CodePointOrder.INSTANCE.compare(x.getKey(), y.getKey());

    private JsonObject(Map<String, Json> raw) {
        this.raw = raw;
        this.members = Collections.unmodifiableMap(raw);
    }

    public static JsonObject of(Map<String, ? extends Json> members) {
        return members.isEmpty() ? EMPTY : new JsonObject(new LinkedHashMap<>(members));
    }

    /** Takes ownership of a map that nobody else holds (parser and builder use). */
    static JsonObject adopt(LinkedHashMap<String, Json> members) {
        return members.isEmpty() ? EMPTY : new JsonObject(members);
    }

    public static JsonObject empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The members sorted by key in code-point order, as every writer emits them; computed once per object
     * (insertion sort for the usual handful of keys, which costs n-1 comparisons when they already are in order).
     * Callers must not modify the array.
     */
    @SuppressWarnings("unchecked")
    Map.Entry<String, Json>[] sortedEntries() {
        Sorted s = sorted;
        if (s == null) {
            int n = raw.size();
            Map.Entry<String, Json>[] es = (Map.Entry<String, Json>[]) raw.entrySet().toArray(new Map.Entry<?, ?>[n]);
            if (n > 16) {
                Arrays.sort(es, BY_KEY);
            } else {
                for (int i = 1; i < n; i++) {
                    Map.Entry<String, Json> e = es[i];
                    String k = e.getKey();
                    int j = i - 1;
                    while (j >= 0 && CodePointOrder.INSTANCE.compare(es[j].getKey(), k) > 0) {
                        es[j + 1] = es[j];
                        j--;
                    }
                    es[j + 1] = e;
                }
            }
            s = new Sorted(es);
            sorted = s;
        }
        return s.entries;
    }

    public Map<String, Json> members() {
        return members;
    }

    public Set<String> keys() {
        return members.keySet();
    }

    public int size() {
        return members.size();
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public boolean has(String key) {
        return members.containsKey(key);
    }

    /** The member, or null when absent (a present JSON null is {@link JsonNull#INSTANCE}). */
    public Json get(String key) {
        return members.get(key);
    }

    /** The member if it is a string, else null. */
    public String getString(String key) {
        return members.get(key) instanceof JsonString s ? s.value() : null;
    }

    /** The member if it is an object, else null. */
    public JsonObject getObject(String key) {
        return members.get(key) instanceof JsonObject o ? o : null;
    }

    /** The member if it is an array, else null. */
    public JsonArray getArray(String key) {
        return members.get(key) instanceof JsonArray a ? a : null;
    }

    /** A copy with one member set (replacing in place, or appended at the end). */
    public JsonObject with(String key, Json value) {
        var copy = new LinkedHashMap<>(members);
        copy.put(key, value);
        return adopt(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonObject other && members.equals(other.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return JsonWriter.canonicalLenient(this);
    }

    /** Builds an object in insertion order; a repeated key keeps its first position and takes the last value. */
    public static final class Builder {
        private LinkedHashMap<String, Json> members = new LinkedHashMap<>();

        public Builder put(String key, Json value) {
            members.put(key, value);
            return this;
        }

        public Builder put(String key, String value) {
            return put(key, Json.ofNullable(value));
        }

        public Builder put(String key, long value) {
            return put(key, JsonInt.of(value));
        }

        public Builder put(String key, boolean value) {
            return put(key, Json.of(value));
        }

        public JsonObject build() {
            var m = members;
            members = new LinkedHashMap<>();
            return adopt(m);
        }
    }
}
