package org.decisiongraph.core.json;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Container nesting depth, measured without recursion so that a tree of any depth (one built in code,
 * not by the parser) can be checked before a recursive walk touches it. A scalar has depth 0, {@code []}
 * and {@code {}} have depth 1.
 */
public final class JsonDepth {
    private JsonDepth() {
    }

    /** Whether more than {@code maxDepth} containers are nested anywhere in {@code value}. */
    public static boolean exceeds(Json value, int maxDepth) {
        if (!(value instanceof JsonObject || value instanceof JsonArray)) {
            return false;
        }
        // One iterator per open container; the stack height is the current depth.
        ArrayDeque<Iterator<Json>> open = new ArrayDeque<>();
        open.push(children(value));
        if (open.size() > maxDepth) {
            return true;
        }
        while (!open.isEmpty()) {
            Iterator<Json> it = open.peek();
            if (!it.hasNext()) {
                open.pop();
                continue;
            }
            Json child = it.next();
            if (child instanceof JsonObject || child instanceof JsonArray) {
                open.push(children(child));
                if (open.size() > maxDepth) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Iterator<Json> children(Json container) {
        return container instanceof JsonObject o ? o.members().values().iterator() : ((JsonArray) container).iterator();
    }
}
