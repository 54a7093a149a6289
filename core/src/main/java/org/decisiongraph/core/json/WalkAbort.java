package org.decisiongraph.core.json;

/**
 * Preallocated, stackless signals that unwind a recursive walk to its entry point, where the real error is
 * built. The bottom of a deep walk (up to {@link JsonParser#MAX_DEPTH} levels) must not load classes, link
 * call sites or build strings: all of these need stack of their own.
 */
final class WalkAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final WalkAbort TOO_DEEP = new WalkAbort("nesting deeper than " + JsonParser.MAX_DEPTH + " levels");
    static final WalkAbort FLOAT = new WalkAbort("float");
    static final WalkAbort LONE_SURROGATE = new WalkAbort("unpaired surrogate");

    private WalkAbort(String what) {
        super(what, null, false, false);
    }

    /**
     * Refuses to enter a container when {@code enclosing} containers already surround it and that is the
     * maximum: throws {@link #TOO_DEEP}, which the entry points turn into {@code DG_ERR_INVALID_ARGUMENT}.
     */
    static void enter(int enclosing) {
        if (enclosing >= JsonParser.MAX_DEPTH) {
            throw TOO_DEEP;
        }
    }
}
