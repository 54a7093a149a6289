package org.decisiongraph.core.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** An immutable JSON array. */
public final class JsonArray implements Json, Iterable<Json> {
    static final JsonArray EMPTY = new JsonArray(List.of());

    private final List<Json> items;

    private JsonArray(List<Json> items) {
        this.items = items;
    }

    public static JsonArray of(List<? extends Json> items) {
        return items.isEmpty() ? EMPTY : new JsonArray(Collections.unmodifiableList(new ArrayList<>(items)));
    }

    /** Takes ownership of a list that nobody else holds (parser use). */
    static JsonArray adopt(List<Json> items) {
        return items.isEmpty() ? EMPTY : new JsonArray(Collections.unmodifiableList(items));
    }

    public static JsonArray empty() {
        return EMPTY;
    }

    public List<Json> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public Json get(int i) {
        return items.get(i);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    @Override
    public Iterator<Json> iterator() {
        return items.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonArray a && items.equals(a.items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    @Override
    public String toString() {
        return JsonWriter.canonicalLenient(this);
    }
}
