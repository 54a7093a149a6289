package org.decisiongraph.core.error;

/** A float inside a payload: {@link ErrorCode#DG_ERR_SCHEMA_VIOLATION} with the path and the Python repr. */
public final class FloatFoundException extends DgException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String floatRepr;

    public FloatFoundException(String path, String floatRepr) {
        super(ErrorCode.DG_ERR_SCHEMA_VIOLATION,
                "Float found at '" + path + "': " + floatRepr + ". Use string representation for decimals.");
        this.path = path;
        this.floatRepr = floatRepr;
    }

    public String path() {
        return path;
    }

    public String floatRepr() {
        return floatRepr;
    }
}
